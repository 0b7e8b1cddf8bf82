namespace Webhooks.ServiceDefaults.Redaction;

/// <summary>Stands in for a logged exception whose text held a credential: its type, message and stack, redacted.</summary>
internal sealed class RedactedException(Exception original, string redacted)
    : Exception(CredentialRedactor.Redact(original.Message))
{
    public override string? StackTrace => null;

    public override string ToString() => redacted;
}

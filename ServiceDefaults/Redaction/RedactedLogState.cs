using System.Collections;

namespace Webhooks.ServiceDefaults.Redaction;

/// <summary>
/// A log state (or scope) with credentials redacted from its formatted text and its values; what is clean keeps its
/// type, so structured logging still gets numbers as numbers.
/// </summary>
internal sealed class RedactedLogState(string text, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => values.Count;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => text;

    /// <summary>A redacted copy of <paramref name="state"/>, or null when neither its text nor a value holds a credential.</summary>
    public static RedactedLogState? From<TState>(TState state, string formatted)
    {
        var textRedacted = CredentialRedactor.TryRedact(formatted, out var text);
        var values = state as IEnumerable<KeyValuePair<string, object?>>;
        if (values is null)
        {
            return textRedacted ? new RedactedLogState(text!, []) : null;
        }

        List<KeyValuePair<string, object?>>? copy = null;
        var index = 0;
        foreach (var (key, value) in values)
        {
            if (value is not null and not ValueType && CredentialRedactor.TryRedact(value.ToString(), out var redacted))
            {
                copy ??= [.. values.Take(index)];
                copy.Add(new(key, redacted));
            }
            else
            {
                copy?.Add(new(key, value));
            }

            index++;
        }

        return textRedacted || copy is not null ? new RedactedLogState(text ?? formatted, copy ?? [.. values]) : null;
    }

    /// <summary>The state as it is, with its text: used when only the exception needed redacting.</summary>
    public static RedactedLogState Copy<TState>(TState state, string formatted) =>
        new(formatted, state is IEnumerable<KeyValuePair<string, object?>> values ? [.. values] : []);
}

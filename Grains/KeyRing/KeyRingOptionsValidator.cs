using Microsoft.Extensions.Options;

namespace Webhooks.Grains.KeyRing;

/// <summary>Every key-encryption key given parses; the failure names the setting, never a value.</summary>
internal sealed class KeyRingOptionsValidator : IValidateOptions<KeyRingOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
    {
        try
        {
            _ = options.All().ToList();
            return ValidateOptionsResult.Success;
        }
        catch (FormatException exception)
        {
            return ValidateOptionsResult.Fail(exception.Message);
        }
    }
}

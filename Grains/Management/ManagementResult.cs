namespace Webhooks.Grains.Management;

/// <summary>What a management operation answers: its value, or the <see cref="ManagementFailure"/> that stopped it.</summary>
public sealed class ManagementResult<T>
{
    private readonly T? _value;

    private ManagementResult(T? value, ManagementFailure? failure)
    {
        _value = value;
        Failure = failure;
    }

    public ManagementFailure? Failure { get; }

    public bool Succeeded => Failure is null;

    public T Value => Failure is null ? _value! : throw new InvalidOperationException($"The operation failed: {Failure.Title}");

    public static implicit operator ManagementResult<T>(T value) => new(value, null);

    public static implicit operator ManagementResult<T>(ManagementFailure failure) => new(default, failure);
}

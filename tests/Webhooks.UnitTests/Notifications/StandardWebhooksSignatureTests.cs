using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using Webhooks.Grains.Notifications;

namespace Webhooks.UnitTests.Notifications;

/// <summary>
/// Our <c>webhook-signature</c> against the Standard Webhooks specification's published test vector (the one every
/// reference library checks: standard-webhooks/standard-webhooks, libraries/*/…/WebhookTest) and against the
/// <c>StandardWebhooks</c> package receivers verify with.
/// </summary>
public sealed class StandardWebhooksSignatureTests
{
    // The specification's test vector.
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorPayload = "{\"test\": 2432232314}";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void TheSpecificationsTestVectorSignsAsPublished()
    {
        var signature = NotificationSignature.Sign(
            [NotifySecret.SigningKey(VectorSecret)], VectorId, DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp), VectorPayload);

        Assert.Equal(VectorSignature, signature);
    }

    [Fact]
    public void TheSignatureIsTheBase64HmacOfIdTimestampAndBody()
    {
        // The same vector by hand, as the specification defines it and as the README's openssl line computes it.
        var key = Convert.FromBase64String(VectorSecret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{VectorId}.{VectorTimestamp}.{VectorPayload}");

        Assert.Equal(VectorSignature, "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
    }

    [Fact]
    public void TheTestVectorVerifiesWithTheStandardWebhooksPackageOnlyWithinItsTolerance()
    {
        var now = DateTimeOffset.UtcNow;
        var fresh = Headers(VectorId, now, NotificationSignature.Sign([NotifySecret.SigningKey(VectorSecret)], VectorId, now, VectorPayload));
        var replayed = Headers(VectorId, DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp), VectorSignature);

        new StandardWebhook(VectorSecret).Verify(VectorPayload, fresh);
        var refused = Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(VectorSecret).Verify(VectorPayload, replayed));
        Assert.Contains("too old", refused.Message);
    }

    [Fact]
    public void DuringARotationBothSecretsSignAndEitherVerifies()
    {
        var current = NotifySecret.New();
        const string previous = "plain-secret-from-before";
        var now = DateTimeOffset.UtcNow;
        var target = new NotifyTarget("https://ci.example.com/hook", current, previous, now.AddHours(1));

        var signature = NotificationSignature.Sign(target.SigningKeys(now), VectorId, now, VectorPayload);

        // Two signatures, the first repeated last for the package's sake (it never compares a list's last entry).
        Assert.Equal(2, signature.Split(' ').Distinct().Count());
        Assert.Equal(signature.Split(' ')[0], signature.Split(' ')[^1]);
        Assert.All(signature.Split(' '), part => Assert.StartsWith("v1,", part, StringComparison.Ordinal));
        new StandardWebhook(current).Verify(VectorPayload, Headers(VectorId, now, signature));
        new StandardWebhook(Encoding.UTF8.GetBytes(previous)).Verify(VectorPayload, Headers(VectorId, now, signature));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(NotifySecret.New()).Verify(VectorPayload, Headers(VectorId, now, signature)));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(current).Verify(VectorPayload + " ", Headers(VectorId, now, signature)));
    }

    [Fact]
    public void ThePackageNeverComparesTheLastOfSeveralSignaturesWhichIsWhyTheFirstIsRepeated()
    {
        var (current, previous) = (NotifySecret.New(), NotifySecret.New());
        var now = DateTimeOffset.UtcNow;
        var bare = string.Join(' ',
            new StandardWebhook(current).Sign(VectorId, now, VectorPayload),
            new StandardWebhook(previous).Sign(VectorId, now, VectorPayload));

        // If a later package compares every entry, the repetition in NotificationSignature.Sign can go.
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(previous).Verify(VectorPayload, Headers(VectorId, now, bare)));
    }

    [Fact]
    public void AfterTheGracePeriodOnlyTheCurrentSecretSigns()
    {
        var now = DateTimeOffset.UtcNow;
        var target = new NotifyTarget("https://ci.example.com/hook", NotifySecret.New(), NotifySecret.New(), now);

        Assert.Single(target.SigningKeys(now));
        Assert.Empty(new NotifyTarget("https://ci.example.com/hook", null).SigningKeys(now));
    }

    [Fact]
    public void AGeneratedSecretIsWhsecAndThirtyTwoRandomBytes()
    {
        var secret = NotifySecret.New();

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, NotifySecret.SigningKey(secret).Length);
        Assert.True(NotifySecret.IsValid(secret));
        Assert.NotEqual(secret, NotifySecret.New());
    }

    [Theory]
    [InlineData("downstream-secret")]
    [InlineData("whsec-looks-similar-but-is-plain")]
    public void APlainSecretIsItsUtf8Bytes(string secret)
    {
        Assert.True(NotifySecret.IsValid(secret));
        Assert.Equal(Encoding.UTF8.GetBytes(secret), NotifySecret.SigningKey(secret));
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_c2hvcnQ=")] // 5 bytes: the specification asks for at least 24
    public void AMalformedSecretIsRefused(string secret)
    {
        Assert.False(NotifySecret.IsValid(secret));
    }

    [Fact]
    public void ATooLongSecretIsRefused()
    {
        Assert.False(NotifySecret.IsValid(new string('s', NotifySecret.MaximumLength + 1)));
        Assert.False(NotifySecret.IsValid("whsec_" + Convert.ToBase64String(new byte[NotifySecret.MaximumKeyBytes + 1])));
    }

    internal static IHeaderDictionary Headers(string id, DateTimeOffset timestamp, string signature) => new HeaderDictionary(new Dictionary<string, StringValues>
    {
        [NotificationSignature.IdHeader] = id,
        [NotificationSignature.TimestampHeader] = timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        [NotificationSignature.SignatureHeader] = signature,
    });
}

using System.Security.Cryptography;
using System.Text;
using Webhooks.Grains.Tokens;
using Webhooks.Receiver.Ingress;

namespace Webhooks.UnitTests.Tokens;

public sealed class ApiTokenSecretTests
{
    [Fact]
    public void ATokenIsTheRecognisablePrefixAnd256RandomBitsInHex()
    {
        var token = ApiTokenSecret.Generate();

        Assert.StartsWith("whk_", token);
        var random = token["whk_".Length..];
        Assert.Equal(64, random.Length);
        Assert.Equal(32, Convert.FromHexString(random).Length);
        Assert.Equal(random.ToLowerInvariant(), random);
    }

    [Fact]
    public void TokensNeverRepeat()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => ApiTokenSecret.Generate()).ToHashSet();

        Assert.Equal(1000, tokens.Count);
    }

    [Fact]
    public void OnlyTheHashAndAShortPrefixAreKept()
    {
        var token = ApiTokenSecret.Generate();

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), ApiTokenSecret.Hash(token));
        Assert.Equal(token[..12], ApiTokenSecret.VisiblePrefix(token));
        Assert.DoesNotContain(token[12..], ApiTokenSecret.VisiblePrefix(token));
    }

    [Fact]
    public void TheHashOfADifferentTokenDiffers()
    {
        var token = ApiTokenSecret.Generate();
        var altered = token[..^1] + (token[^1] == '0' ? '1' : '0');

        Assert.NotEqual(ApiTokenSecret.Hash(token), ApiTokenSecret.Hash(altered));
    }

    [Fact]
    public void ASignatureKeyedWithTheTokenVerifiesWithTheStoredHashAlone()
    {
        var token = ApiTokenSecret.Generate();
        var body = Encoding.UTF8.GetBytes("""{"push":{"changes":[]}}""");
        // What Bitbucket sends when the token is pasted as the webhook secret.
        var header = HubSignature.Compute(token, body);

        Assert.True(ApiTokenSecret.SignsWithHash(token));
        var verdict = HubSignature.Verify(header, body, [ApiTokenSecret.SigningKey(ApiTokenSecret.Hash(token))], out var matched);

        Assert.Equal(SignatureVerdict.Valid, verdict);
        Assert.Equal(0, matched);
    }

    [Fact]
    public void TheMatchingKeyIsToldAmongSeveralAndAWrongOneIsRefused()
    {
        var tokens = Enumerable.Range(0, 3).Select(_ => ApiTokenSecret.Generate()).ToList();
        var keys = tokens.Select(t => ApiTokenSecret.SigningKey(ApiTokenSecret.Hash(t))).ToList();
        var body = "{}"u8.ToArray();

        Assert.Equal(SignatureVerdict.Valid, HubSignature.Verify(HubSignature.Compute(tokens[2], body), body, keys, out var matched));
        Assert.Equal(2, matched);
        Assert.Equal(SignatureVerdict.Mismatch, HubSignature.Verify(HubSignature.Compute(ApiTokenSecret.Generate(), body), body, keys, out matched));
        Assert.Equal(-1, matched);
    }

    [Fact]
    public void AShortSecretIsNotEquivalentToItsHash()
    {
        // Why tokens are long: below HMAC's 64-byte block the key is padded, not hashed.
        Assert.False(ApiTokenSecret.SignsWithHash("whk_short"));
        var body = "{}"u8.ToArray();
        Assert.Equal(SignatureVerdict.Mismatch,
            HubSignature.Verify(HubSignature.Compute("whk_short", body), body, [ApiTokenSecret.Hash("whk_short")], out _));
    }

    [Fact]
    public void UsageKeepsTheLatestTimePerTokenAndHandsItOverOnce()
    {
        var usage = new ApiTokenUsage();
        var id = Guid.NewGuid();
        var earlier = DateTimeOffset.Parse("2026-01-01T10:00:00Z");

        usage.Record(id, earlier.AddMinutes(5));
        usage.Record(id, earlier);

        var batch = usage.TakeBatch();
        Assert.Equal(earlier.AddMinutes(5), Assert.Single(batch).Value);
        Assert.Empty(usage.TakeBatch());
    }
}

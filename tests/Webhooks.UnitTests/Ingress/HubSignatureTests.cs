using System.Text;
using Microsoft.Extensions.Primitives;
using Webhooks.Receiver.Ingress;

namespace Webhooks.UnitTests.Ingress;

public sealed class HubSignatureTests
{
    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bitbucket", name));

    [Theory]
    [InlineData("cloud-repo-push-signed.json", "Gkvl$k$wyNpQAF42", "sha256=f205c729821c6954aff2afe72b965c34015b4baf96ea8ddc2cc44999c014a035")]
    [InlineData("server-repo-refs_changed-gp.json", "secret", "sha256=8a60f7487d167f55886df87d4077192035d76f76a8e0b3a48fd8ae8cad25f391")]
    [InlineData("server-pr-opened-gp.json", "secret", "sha256=b82c323978a741aa256c0a6bfa13a8f211e1795bd8ddb2641ced122769f7a7c6")]
    public void RealBitbucketSignaturesVerifyOverTheExactBytes(string fixture, string secret, string header)
    {
        var body = Fixture(fixture);

        Assert.Equal(header, HubSignature.Compute(secret, body));
        Assert.Equal(SignatureVerdict.Valid, HubSignature.Verify(header, body, [secret]));
    }

    [Fact]
    public void UpperCaseHexAndPrefixAreAccepted()
    {
        var body = Fixture("server-repo-refs_changed-gp.json");

        Assert.Equal(SignatureVerdict.Valid,
            HubSignature.Verify("SHA256=8A60F7487D167F55886DF87D4077192035D76F76A8E0B3A48FD8AE8CAD25F391", body, ["secret"]));
    }

    [Fact]
    public void WrongSecretIsAMismatch()
    {
        var body = Fixture("cloud-repo-push-signed.json");

        Assert.Equal(SignatureVerdict.Mismatch,
            HubSignature.Verify("sha256=f205c729821c6954aff2afe72b965c34015b4baf96ea8ddc2cc44999c014a035", body, ["not-the-secret"]));
    }

    [Fact]
    public void ReserialisedBodyNoLongerVerifies()
    {
        var body = Fixture("cloud-repo-push-signed.json");
        var reserialised = Encoding.UTF8.GetBytes(System.Text.Json.JsonDocument.Parse(body).RootElement.ToString() + " ");

        Assert.Equal(SignatureVerdict.Mismatch,
            HubSignature.Verify("sha256=f205c729821c6954aff2afe72b965c34015b4baf96ea8ddc2cc44999c014a035", reserialised, ["Gkvl$k$wyNpQAF42"]));
    }

    [Fact]
    public void EitherSecretVerifiesDuringRotation()
    {
        var body = "{\"a\":1}"u8.ToArray();
        var signedWithOld = HubSignature.Compute("old-secret", body);
        var signedWithNew = HubSignature.Compute("new-secret", body);

        Assert.Equal(SignatureVerdict.Valid, HubSignature.Verify(signedWithOld, body, ["new-secret", "old-secret"]));
        Assert.Equal(SignatureVerdict.Valid, HubSignature.Verify(signedWithNew, body, ["new-secret", "old-secret"]));
        Assert.Equal(SignatureVerdict.Mismatch, HubSignature.Verify(signedWithOld, body, ["new-secret"]));
    }

    [Theory]
    [InlineData(null, SignatureVerdict.Missing)]
    [InlineData("", SignatureVerdict.Missing)]
    [InlineData("sha256", SignatureVerdict.Malformed)]
    [InlineData("=abc", SignatureVerdict.Malformed)]
    [InlineData("sha256=", SignatureVerdict.Malformed)]
    [InlineData("sha256=8a60f7487d167f55886df87d4077192035d76f76a8e0b3a48fd8ae8cad25f39", SignatureVerdict.Malformed)]
    [InlineData("sha256=8a60f7487d167f55886df87d4077192035d76f76a8e0b3a48fd8ae8cad25f3911", SignatureVerdict.Malformed)]
    [InlineData("sha256=zz60f7487d167f55886df87d4077192035d76f76a8e0b3a48fd8ae8cad25f391", SignatureVerdict.Malformed)]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567", SignatureVerdict.UnsupportedAlgorithm)]
    [InlineData("sha512=8a60f7487d167f55886df87d4077192035d76f76a8e0b3a48fd8ae8cad25f391", SignatureVerdict.UnsupportedAlgorithm)]
    [InlineData("8a60f7487d167f55886df87d4077192035d76f76a8e0b3a48fd8ae8cad25f391", SignatureVerdict.Malformed)]
    public void MalformedHeadersAreToldApart(string? header, SignatureVerdict expected)
    {
        var body = Fixture("server-repo-refs_changed-gp.json");

        Assert.Equal(expected, HubSignature.Verify(header, body, ["secret"]));
    }

    [Fact]
    public void EmptyBodyStillNeedsTheRightSignature()
    {
        var signature = HubSignature.Compute("secret", []);

        Assert.Equal(SignatureVerdict.Valid, HubSignature.Verify(signature, [], ["secret"]));
        Assert.Equal(SignatureVerdict.Mismatch, HubSignature.Verify(signature, "x"u8.ToArray(), ["secret"]));
    }

    [Fact]
    public void RepeatedHeaderIsRejectedWhicheverValueIsValid()
    {
        var body = Fixture("server-repo-refs_changed-gp.json");
        var valid = HubSignature.Compute("secret", body);
        var wrong = HubSignature.Compute("wrong", body);

        Assert.Equal(SignatureVerdict.Repeated, HubSignature.Verify(new StringValues([valid, wrong]), body, ["secret"]));
        Assert.Equal(SignatureVerdict.Repeated, HubSignature.Verify(new StringValues([wrong, valid]), body, ["secret"]));
        Assert.Equal(SignatureVerdict.Valid, HubSignature.Verify(new StringValues(valid), body, ["secret"]));
        Assert.Equal(SignatureVerdict.Missing, HubSignature.Verify(StringValues.Empty, body, ["secret"]));
    }
}

using System.Text.RegularExpressions;

namespace Webhooks.Grains.Discovery;

internal enum GitTransport
{
    Http,
    Ssh,
    File,
}

/// <summary>
/// A repository location accepted by <see cref="GitRefLister"/>: an http(s), ssh (URL or scp-like
/// <c>git@host:path</c>) or file URL, or an absolute local path. Anything else — notably git's
/// <c>&lt;transport&gt;::&lt;address&gt;</c> helper syntax, which can run commands — is refused before git sees it.
/// </summary>
internal sealed partial record GitRemote(string Url, GitTransport Transport, string DisplayUrl)
{
    public static GitRemote Parse(string? repositoryUrl)
    {
        if (string.IsNullOrWhiteSpace(repositoryUrl))
            throw new RefListingException("A repository URL is required.");

        var url = repositoryUrl.Trim();
        if (url.Any(char.IsControl) || url.StartsWith('-') || url.Contains("::", StringComparison.Ordinal))
            throw new RefListingException("The repository URL is not valid.");

        if (!url.Contains("://", StringComparison.Ordinal))
        {
            if (url.StartsWith('/'))
                return new GitRemote(url, GitTransport.File, url);
            if (ScpLike().IsMatch(url))
                return new GitRemote(url, GitTransport.Ssh, url);
            throw new RefListingException("The repository URL is not valid: use https://, ssh://, git@host:path, file:// or an absolute path.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new RefListingException("The repository URL is not valid.");

        var transport = uri.Scheme switch
        {
            "https" or "http" => GitTransport.Http,
            "ssh" or "git+ssh" or "ssh+git" => GitTransport.Ssh,
            "file" => GitTransport.File,
            _ => throw new RefListingException($"The repository URL scheme '{uri.Scheme}' is not supported: use https, ssh or file."),
        };
        return new GitRemote(url, transport, Redact(uri));
    }

    /// <summary>The URL as it may appear in messages and logs: no password, no query string.</summary>
    private static string Redact(Uri uri)
    {
        if (uri.IsFile)
            return uri.LocalPath;

        var builder = new UriBuilder(uri) { Query = string.Empty, Fragment = string.Empty };
        if (!string.IsNullOrEmpty(builder.Password))
            builder.Password = "***";
        return builder.Uri.AbsoluteUri;
    }

    // scp-like syntax as git reads it: no scheme, a colon before the first slash ([user@]host:path).
    [GeneratedRegex(@"^(?:[^@/:\s]+@)?[A-Za-z0-9._\-\[\]]+:(?!//)[^\s]*$")]
    private static partial Regex ScpLike();
}

namespace Webhooks.Grains.Repositories;

/// <summary>
/// The one name a repository goes by, whatever URL form arrives in a payload or is typed into a subscription:
/// lower-case host (no port, no user info) followed by workspace/slug (Bitbucket Cloud) or project key/slug
/// (Data Center), e.g. <c>bitbucket.org/acme/api</c>, <c>git.example.com/proj/repo</c>, <c>git.example.com/~jdoe/repo</c>.
/// It is the key of the repository grain, so two spellings of one repository must never yield two keys.
/// </summary>
public static class RepositoryKey
{
    private static readonly string[] CloudHosts = ["bitbucket.org", "www.bitbucket.org", "altssh.bitbucket.org", "api.bitbucket.org"];
    private static readonly string[] AcceptedSchemes = ["http", "https", "ssh", "git", "git+ssh", "ssh+git"];

    /// <summary>Canonical key of <paramref name="url"/>, or an <see cref="ArgumentException"/> saying why there is none.</summary>
    public static string Canonicalize(string url) =>
        TryCanonicalize(url, out var key)
            ? key
            : throw new ArgumentException(
                $"'{url}' is not a Bitbucket repository URL; expected e.g. https://bitbucket.org/<workspace>/<repo>.git, " +
                "git@bitbucket.org:<workspace>/<repo>.git, https://<server>/scm/<project>/<repo>.git or " +
                "https://<server>/projects/<project>/repos/<repo>.",
                nameof(url));

    /// <summary>
    /// Accepts HTTP(S), SSH and scp-like (<c>git@host:path</c>) clone URLs, Bitbucket web and REST URLs, and keys
    /// themselves (<c>host/project/repo</c>), so canonicalising a key returns it unchanged.
    /// </summary>
    public static bool TryCanonicalize(string? url, out string key)
    {
        key = string.Empty;
        if (string.IsNullOrWhiteSpace(url) || !TrySplit(url.Trim(), out var host, out var rawPath, out var isWeb))
            return false;

        var segments = new List<string>();
        foreach (var raw in rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Uri.UnescapeDataString(raw);
            if (!IsValidSegment(segment))
                return false;
            segments.Add(segment);
        }

        var owner = (string?)null;
        var slug = (string?)null;
        if (CloudHosts.Contains(host))
        {
            host = "bitbucket.org";
            // api.bitbucket.org/2.0/repositories/<workspace>/<slug> is the "self" link of Cloud payloads.
            var start = segments.Count >= 4 && segments[0] == "2.0" && segments[1].Equals("repositories", StringComparison.OrdinalIgnoreCase) ? 2 : 0;
            if (segments.Count - start >= 2)
                (owner, slug) = (segments[start], segments[start + 1]);
        }
        else if (!TryDataCenterPath(segments, isWeb, out owner, out slug))
        {
            return false;
        }

        if (owner is null || slug is null)
            return false;
        if (slug.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
            slug = slug[..^4];
        if (slug.Length == 0)
            return false;

        key = $"{host}/{owner.ToLowerInvariant()}/{slug.ToLowerInvariant()}";
        return true;
    }

    // Data Center may run under a context path (/bitbucket) and spells one repository as
    // /scm/PROJ/repo.git (HTTP clone), /PROJ/repo.git (SSH clone), /projects/PROJ/repos/repo[/browse…] (web, REST),
    // /users/jdoe/repos/repo (personal project ~jdoe on the web) or /scm/~jdoe/repo.git (its clone URL).
    private static bool TryDataCenterPath(List<string> segments, bool isWeb, out string? owner, out string? slug)
    {
        owner = slug = null;
        for (var i = 0; i + 3 < segments.Count; i++)
        {
            if (!segments[i + 2].Equals("repos", StringComparison.OrdinalIgnoreCase))
                continue;
            if (segments[i].Equals("projects", StringComparison.OrdinalIgnoreCase))
            {
                (owner, slug) = (segments[i + 1], segments[i + 3]);
                return true;
            }
            if (segments[i].Equals("users", StringComparison.OrdinalIgnoreCase))
            {
                (owner, slug) = ("~" + segments[i + 1].TrimStart('~'), segments[i + 3]);
                return true;
            }
        }

        if (segments.Count >= 3 && segments[^3].Equals("scm", StringComparison.OrdinalIgnoreCase))
        {
            (owner, slug) = (segments[^2], segments[^1]);
            return true;
        }

        if (segments.Count < 2)
            return false;

        // A web URL of a project or user page (/projects/PROJ, /users/jdoe) names no repository.
        if (isWeb && (segments[^2].Equals("projects", StringComparison.OrdinalIgnoreCase) ||
                      segments[^2].Equals("users", StringComparison.OrdinalIgnoreCase)))
            return false;

        (owner, slug) = (segments[^2], segments[^1]);
        return true;
    }

    private static bool TrySplit(string url, out string host, out string path, out bool isWeb)
    {
        host = path = string.Empty;
        isWeb = false;
        if (url.Contains('\\'))
            return false;

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var isKey = false;
        if (schemeEnd < 0)
        {
            var colon = url.IndexOf(':');
            var slash = url.IndexOf('/');
            if (colon > 0 && (slash < 0 || colon < slash))
            {
                // scp-like: [user@]host:path
                var at = url.LastIndexOf('@', colon);
                host = url[(at + 1)..colon].ToLowerInvariant();
                path = url[(colon + 1)..];
                return IsValidHost(host);
            }

            // A key itself: host/owner/slug (no scheme). Needs at least host plus two segments.
            if (slash <= 0 || url.Count(c => c == '/') < 2)
                return false;
            url = "https://" + url;
            schemeEnd = "https".Length;
            isKey = true;
        }

        var scheme = url[..schemeEnd].ToLowerInvariant();
        if (!AcceptedSchemes.Contains(scheme) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return false;

        host = uri.Host.ToLowerInvariant();
        path = uri.AbsolutePath;
        isWeb = !isKey && (scheme is "http" or "https");
        return IsValidHost(host);
    }

    private static bool IsValidHost(string host) =>
        host.Length > 0 && Uri.CheckHostName(host.Trim('[', ']')) != UriHostNameType.Unknown;

    private static bool IsValidSegment(string segment) =>
        segment is not ("." or "..") &&
        !segment.Any(c => c is '/' or '\\' or '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c));
}

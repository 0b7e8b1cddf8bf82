using System.Text.Json;
using Webhooks.Grains.Events;
using Webhooks.Grains.Repositories;

namespace Webhooks.Grains.Events.Parsing;

/// <summary>Bitbucket Data Center (and Server) bodies: <c>repo:refs_changed</c>, <c>mirror:repo_synchronized</c>, <c>pr:*</c>.</summary>
internal static class DataCenterPayloadReader
{
    private const string ZeroHash = "0000000000000000000000000000000000000000";

    public static BitbucketEvent ReadRefsChanged(JsonElement root, string eventKey, BitbucketProduct product, string? fallbackServerUrl)
    {
        var repository = ReadRequiredRepository(root, eventKey, fallbackServerUrl);
        if (root.Array("changes") is not { } changes)
            throw new InvalidPayloadException($"{eventKey} payload has no changes array");

        return new BitbucketEvent(
            product, eventKey, BitbucketEventKind.Push, repository, ReadChanges(root, changes), false, null,
            ReadActor(root), BitbucketTimestamp.Read(root, "date"));
    }

    public static BitbucketEvent ReadMirrorSynchronized(JsonElement root, string eventKey, BitbucketProduct product, string? fallbackServerUrl)
    {
        var repository = ReadRequiredRepository(root, eventKey, fallbackServerUrl);
        var refLimitExceeded = root.Bool("refLimitExceeded");
        var changes = root.Array("changes");
        if (changes is null && !refLimitExceeded)
            throw new InvalidPayloadException($"{eventKey} payload has no changes array and no refLimitExceeded");

        // With refLimitExceeded the mirror does not list what changed: subscribers must refresh everything.
        IReadOnlyList<RefChange> result = changes is { } list ? ReadChanges(root, list) : [];
        return new BitbucketEvent(
            product, eventKey, BitbucketEventKind.MirrorSynchronized, repository, result, refLimitExceeded, null,
            ReadActor(root), BitbucketTimestamp.Read(root, "date"));
    }

    /// <summary>
    /// A pull request event. Only its repository is required (the target's, else the payload's own): a minimal
    /// <c>pr:merged</c> such as Kargo accepts may carry nothing else, and is then an event without pull request details.
    /// </summary>
    public static BitbucketEvent ReadPullRequest(JsonElement root, string eventKey, BitbucketProduct product, string? fallbackServerUrl)
    {
        var pr = root.Object("pullRequest");
        var repositoryElement = pr?.Object("toRef", "repository") ?? root.Object("repository")
            ?? throw new InvalidPayloadException($"{eventKey} payload has neither pullRequest.toRef.repository nor repository");
        var repository = ReadRepository(repositoryElement, fallbackServerUrl);

        PullRequestInfo? pullRequest = null;
        if (pr is { } details && details.Int64("id") is { } id && RefName(details, "fromRef") is { } sourceBranch && RefName(details, "toRef") is { } targetBranch)
        {
            var mergeCommit = details.String("properties", "mergeCommit", "id") ?? details.String("mergeCommit", "id") ?? root.String("mergeCommit", "id");
            pullRequest = new PullRequestInfo(
                id,
                details.String("title"),
                details.String("state"),
                sourceBranch,
                details.String("fromRef", "latestCommit"),
                targetBranch,
                details.String("toRef", "latestCommit"),
                mergeCommit,
                FirstHref(details, "self"));
        }

        return new BitbucketEvent(
            product, eventKey, BitbucketEventKind.PullRequest, repository, [], false, pullRequest,
            ReadActor(root), BitbucketTimestamp.Read(root, "date"));
    }

    /// <summary>
    /// The repository of a Data Center payload: its key comes from the clone links (HTTP first), else the web link,
    /// else, for old servers that sent no links, from project key and slug under the receiver's server URL. Kargo's
    /// minimal payloads carry only the clone links, without slug or project.
    /// </summary>
    public static RepositoryInfo ReadRepository(JsonElement repository, string? fallbackServerUrl)
    {
        var slug = repository.String("slug");
        var projectKey = repository.String("project", "key");
        var fullName = slug is not null && projectKey is not null ? $"{projectKey}/{slug}" : null;

        var clone = repository.Objects("links", "clone")
            .Select(link => (Href: link.String("href"), Name: link.String("name")))
            .Where(link => link.Href is not null)
            .ToList();
        var httpClone = clone.Where(link => link.Name is "http" or "https").Select(link => link.Href!).ToList();
        var otherClone = clone.Where(link => link.Name is not ("http" or "https")).Select(link => link.Href!).ToList();
        var htmlUrl = FirstHref(repository, "self");

        if (clone.Count == 0 && htmlUrl is null)
        {
            return fullName is null
                ? throw new InvalidPayloadException("payload has no repository.links.clone, and no repository.slug and repository.project.key, to identify the repository")
                : FromServerUrl(repository, fallbackServerUrl, projectKey!, slug!, fullName);
        }

        // The SSH host may differ from the web host (a separate SSH base URL), so the key comes from HTTP first.
        string[] keySources = [.. httpClone, .. htmlUrl is null ? [] : new[] { htmlUrl }, .. otherClone];
        var key = keySources.Select(source => RepositoryKey.TryCanonicalize(source, out var k) ? k : null).FirstOrDefault(k => k is not null)
            ?? throw new InvalidPayloadException($"repository links of {fullName ?? "the repository"} are not Bitbucket repository URLs");
        fullName ??= FullNameFromKey(key);
        return new RepositoryInfo(key, fullName, repository.String("name"), htmlUrl, [.. httpClone, .. otherClone]);
    }

    /// <summary>"PROJ/repo" from a key such as <c>git.example.com/proj/repo</c> (its last two segments).</summary>
    private static string FullNameFromKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var previous = slash > 0 ? key.LastIndexOf('/', slash - 1) : -1;
        return previous >= 0 ? $"{key[(previous + 1)..slash].ToUpperInvariant()}/{key[(slash + 1)..]}" : key;
    }

    public static string? ReadActor(JsonElement root) =>
        root.String("actor", "displayName") ?? root.String("actor", "name") ?? root.String("actor", "slug");

    // Bitbucket Server 5.x sent no repository links at all: the receiver's configured server URL supplies the host.
    private static RepositoryInfo FromServerUrl(JsonElement repository, string? serverUrl, string projectKey, string slug, string fullName)
    {
        if (string.IsNullOrWhiteSpace(serverUrl))
            throw new InvalidPayloadException("payload has no repository links; set the receiver's serverUrl");
        if (!Uri.TryCreate(serverUrl.Trim(), UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
            throw new InvalidPayloadException("payload has no repository links and the receiver's serverUrl is not an absolute http(s) URL");

        var baseUrl = server.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var escapedSlug = Uri.EscapeDataString(slug);
        var cloneUrl = $"{baseUrl}/scm/{Uri.EscapeDataString(projectKey.ToLowerInvariant())}/{escapedSlug}.git";
        var htmlUrl = projectKey.StartsWith('~')
            ? $"{baseUrl}/users/{Uri.EscapeDataString(projectKey[1..])}/repos/{escapedSlug}/browse"
            : $"{baseUrl}/projects/{Uri.EscapeDataString(projectKey)}/repos/{escapedSlug}/browse";

        if (!RepositoryKey.TryCanonicalize(cloneUrl, out var key))
            throw new InvalidPayloadException($"cannot build a repository URL for {fullName} from the receiver's serverUrl");
        return new RepositoryInfo(key, fullName, repository.String("name"), htmlUrl, [cloneUrl]);
    }

    private static RepositoryInfo ReadRequiredRepository(JsonElement root, string eventKey, string? fallbackServerUrl) =>
        root.Object("repository") is { } repository
            ? ReadRepository(repository, fallbackServerUrl)
            : throw new InvalidPayloadException($"{eventKey} payload has no repository");

    private static List<RefChange> ReadChanges(JsonElement root, JsonElement changes)
    {
        var result = new List<RefChange>();
        var index = 0;
        foreach (var change in changes.EnumerateArray())
        {
            if (ReadChange(change, $"changes[{index++}]") is { } refChange)
                result.Add(refChange);
        }
        return AttachCommits(root, result);
    }

    private static RefChange? ReadChange(JsonElement change, string where)
    {
        if (change.ValueKind != JsonValueKind.Object)
            throw new InvalidPayloadException($"{where} is not an object");
        if (change.Object("ref") is not { } refElement)
            throw new InvalidPayloadException($"{where} has no ref");

        var id = refElement.String("id") ?? change.String("refId");
        var (kind, name) = ReadRef(refElement.String("type"), id, refElement.String("displayId"));
        if (name is null)
            throw new InvalidPayloadException($"{where}.ref has no id or displayId");
        if (kind is null)
            return null;

        var fromHash = NullIfZero(change.String("fromHash"));
        var toHash = NullIfZero(change.String("toHash"));
        var type = change.String("type")?.ToUpperInvariant() switch
        {
            "ADD" => RefChangeType.Create,
            "DELETE" => RefChangeType.Delete,
            "UPDATE" => RefChangeType.Update,
            _ when toHash is null => RefChangeType.Delete,
            _ when fromHash is null => RefChangeType.Create,
            _ => RefChangeType.Update,
        };
        if (type == RefChangeType.Delete)
            toHash = null;
        else if (toHash is null)
            throw new InvalidPayloadException($"{where} has no toHash");

        return new RefChange(kind.Value, name, type, fromHash, toHash, false, false, []);
    }

    private static (RefKind? Kind, string? Name) ReadRef(string? type, string? id, string? displayId)
    {
        RefKind? kind = type?.ToUpperInvariant() switch
        {
            "BRANCH" => RefKind.Branch,
            "TAG" => RefKind.Tag,
            _ => null,
        };
        string? name = null;
        if (id is not null && id.StartsWith("refs/heads/", StringComparison.Ordinal))
            (kind, name) = (kind ?? RefKind.Branch, id["refs/heads/".Length..]);
        else if (id is not null && id.StartsWith("refs/tags/", StringComparison.Ordinal))
            (kind, name) = (kind ?? RefKind.Tag, id["refs/tags/".Length..]);

        // The id is exact (displayId may be abbreviated for odd refs); displayId when the id is not a branch or tag ref.
        name ??= displayId ?? id;
        return (kind, name);
    }

    // Newer servers list the push's most recent commits (and its head, toCommit) once for the whole event, not
    // per ref: they belong to the change whose new head they end at.
    private static List<RefChange> AttachCommits(JsonElement root, List<RefChange> changes)
    {
        var commits = root.Objects("commits").Select(ReadCommit).OfType<CommitInfo>().ToList();
        if (commits.Count == 0 && root.Object("toCommit") is { } toCommit && ReadCommit(toCommit) is { } head)
            commits = [head];
        if (commits.Count == 0)
            return changes;

        var headHash = root.String("toCommit", "id") ?? commits[0].Hash;
        var target = changes.FindIndex(change => change.NewHash == headHash);
        if (target < 0)
        {
            var live = changes.FindAll(change => change.Type != RefChangeType.Delete);
            if (live.Count != 1)
                return changes;
            target = changes.IndexOf(live[0]);
        }

        changes[target] = changes[target] with { Commits = commits };
        return changes;
    }

    private static CommitInfo? ReadCommit(JsonElement commit)
    {
        if (commit.String("id") is not { } hash)
            return null;
        return new CommitInfo(
            hash,
            commit.String("message"),
            commit.String("author", "displayName") ?? commit.String("author", "name"),
            commit.String("author", "emailAddress"),
            BitbucketTimestamp.Read(commit, "authorTimestamp") ?? BitbucketTimestamp.Read(commit, "committerTimestamp"));
    }

    private static string? RefName(JsonElement pr, string side)
    {
        var displayId = pr.String(side, "displayId");
        var id = pr.String(side, "id");
        return ReadRef(null, id, displayId).Name;
    }

    private static string? FirstHref(JsonElement element, string linkName) =>
        element.Objects("links", linkName).Select(link => link.String("href")).FirstOrDefault(href => href is not null);

    private static string? NullIfZero(string? hash) =>
        hash is null || hash.All(c => c == '0') ? null : hash;
}

using System.Text.Json;
using Webhooks.Grains.Events;
using Webhooks.Grains.Repositories;

namespace Webhooks.Grains.Events.Parsing;

/// <summary>Bitbucket Cloud bodies: <c>repo:push</c>, <c>pullrequest:*</c>, and the repository/actor every event carries.</summary>
internal static class CloudPayloadReader
{
    public static BitbucketEvent ReadPush(JsonElement root, string eventKey, BitbucketProduct product)
    {
        var repository = ReadRequiredRepository(root, eventKey);
        if (root.Object("push") is null)
            throw new InvalidPayloadException($"{eventKey} payload has no push object");
        if (root.Array("push", "changes") is not { } changes)
            throw new InvalidPayloadException($"{eventKey} payload has no push.changes array");

        var result = new List<RefChange>();
        var index = 0;
        foreach (var change in changes.EnumerateArray())
        {
            if (ReadChange(change, $"push.changes[{index++}]") is { } refChange)
                result.Add(refChange);
        }

        return new BitbucketEvent(product, eventKey, BitbucketEventKind.Push, repository, result, false, null, ReadActor(root), null);
    }

    public static BitbucketEvent ReadPullRequest(JsonElement root, string eventKey, BitbucketProduct product)
    {
        if (root.Object("pullrequest") is not { } pr)
            throw new InvalidPayloadException($"{eventKey} payload has no pullrequest object");

        var repositoryElement = root.Object("repository") ?? pr.Object("destination", "repository")
            ?? throw new InvalidPayloadException($"{eventKey} payload has no repository");
        var repository = ReadRepository(repositoryElement);

        var id = pr.Int64("id") ?? throw new InvalidPayloadException($"{eventKey} payload has no pullrequest.id");
        var sourceBranch = pr.String("source", "branch", "name")
            ?? throw new InvalidPayloadException($"{eventKey} payload has no pullrequest.source.branch.name");
        var targetBranch = pr.String("destination", "branch", "name")
            ?? throw new InvalidPayloadException($"{eventKey} payload has no pullrequest.destination.branch.name");

        var pullRequest = new PullRequestInfo(
            id,
            pr.String("title"),
            pr.String("state"),
            sourceBranch,
            pr.String("source", "commit", "hash"),
            targetBranch,
            pr.String("destination", "commit", "hash"),
            pr.String("merge_commit", "hash"),
            pr.String("links", "html", "href"));

        var occurredAt = BitbucketTimestamp.Read(pr, "updated_on") ?? BitbucketTimestamp.Read(pr, "created_on");
        return new BitbucketEvent(product, eventKey, BitbucketEventKind.PullRequest, repository, [], false, pullRequest, ReadActor(root), occurredAt);
    }

    /// <summary>
    /// The repository of a Cloud payload. <c>full_name</c> ("workspace/repo_slug") is the identity Bitbucket Cloud
    /// documents, so it decides the key whenever it is there, even if a link disagrees; without it the web link
    /// (<c>links.html.href</c>, all that Kargo's minimal payloads carry) or a clone link identifies the repository.
    /// </summary>
    public static RepositoryInfo ReadRepository(JsonElement repository)
    {
        var fullName = repository.String("full_name");
        var htmlUrl = repository.String("links", "html", "href");
        var cloneUrls = ReadCloneUrls(repository);

        string key;
        if (fullName is not null)
        {
            if (!RepositoryKey.TryCanonicalize($"https://bitbucket.org/{fullName}", out key))
                throw new InvalidPayloadException($"repository.full_name '{fullName}' is not <workspace>/<slug>");
        }
        else
        {
            string?[] sources = [htmlUrl, .. cloneUrls];
            key = sources.Select(source => RepositoryKey.TryCanonicalize(source, out var k) ? k : null).FirstOrDefault(k => k is not null)
                ?? throw new InvalidPayloadException(htmlUrl is null && cloneUrls.Count == 0
                    ? "payload has no repository.full_name and no repository.links.html.href to identify the repository"
                    : "payload has no repository.full_name and its repository links are not Bitbucket repository URLs");
            fullName = key[(key.IndexOf('/') + 1)..];
        }

        // Webhook bodies carry no clone links (the REST API does); the HTTPS clone URL follows from the identity.
        if (cloneUrls.Count == 0)
            cloneUrls = [(htmlUrl is not null && repository.String("full_name") is null ? htmlUrl : $"https://bitbucket.org/{fullName}").TrimEnd('/') + ".git"];

        return new RepositoryInfo(key, fullName, repository.String("name"), htmlUrl, cloneUrls);
    }

    public static string? ReadActor(JsonElement root) =>
        root.String("actor", "display_name") ?? root.String("actor", "nickname") ?? root.String("actor", "username");

    private static RepositoryInfo ReadRequiredRepository(JsonElement root, string eventKey) =>
        root.Object("repository") is { } repository
            ? ReadRepository(repository)
            : throw new InvalidPayloadException($"{eventKey} payload has no repository");

    // Cloud's REST shape: clone: [{href, name: "https"|"ssh"}]; HTTPS first so consumers can take the first.
    private static List<string> ReadCloneUrls(JsonElement repository) =>
        repository.Objects("links", "clone")
            .Select(link => (Href: link.String("href"), IsSsh: link.String("name") == "ssh"))
            .Where(link => link.Href is not null)
            .OrderBy(link => link.IsSsh)
            .Select(link => link.Href!)
            .ToList();

    private static RefChange? ReadChange(JsonElement change, string where)
    {
        if (change.ValueKind != JsonValueKind.Object)
            throw new InvalidPayloadException($"{where} is not an object");

        var oldRef = change.Object("old");
        var newRef = change.Object("new");
        if (oldRef is null && newRef is null)
            throw new InvalidPayloadException($"{where} has neither old nor new ref");

        var named = (newRef ?? oldRef)!.Value;
        var side = newRef is null ? "old" : "new";
        var name = named.String("name") ?? throw new InvalidPayloadException($"{where}.{side} has no name");
        var declaredType = named.String("type");
        if (declaredType is null && !name.StartsWith("refs/", StringComparison.Ordinal))
            throw new InvalidPayloadException($"{where}.{side} has no type");
        if (ReadKind(declaredType, ref name) is not { } kind)
            return null;

        var type = newRef is null || change.Bool("closed") ? RefChangeType.Delete
            : oldRef is null || change.Bool("created") ? RefChangeType.Create
            : RefChangeType.Update;
        var oldHash = oldRef?.String("target", "hash");
        var newHash = type == RefChangeType.Delete ? null : newRef?.String("target", "hash");
        if (type != RefChangeType.Delete && newHash is null)
            throw new InvalidPayloadException($"{where}.new has no target.hash");

        var commits = change.Objects("commits").Select(ReadCommit).OfType<CommitInfo>().ToList();
        return new RefChange(kind, name, type, oldHash, newHash, change.Bool("forced"), change.Bool("truncated"), commits);
    }

    // "named_branch" and "bookmark" are Mercurial-era types still found in old payloads. Refs of kinds nobody can
    // subscribe to are skipped rather than failing the whole push.
    private static RefKind? ReadKind(string? type, ref string name)
    {
        if (name.StartsWith("refs/heads/", StringComparison.Ordinal))
            (type, name) = ("branch", name["refs/heads/".Length..]);
        else if (name.StartsWith("refs/tags/", StringComparison.Ordinal))
            (type, name) = ("tag", name["refs/tags/".Length..]);

        return type?.ToLowerInvariant() switch
        {
            "branch" or "named_branch" or "bookmark" => RefKind.Branch,
            "tag" or "annotated_tag" => RefKind.Tag,
            _ => null,
        };
    }

    private static CommitInfo? ReadCommit(JsonElement commit)
    {
        if (commit.String("hash") is not { } hash)
            return null;
        var (name, email) = ParseRawAuthor(commit.String("author", "raw"));
        name ??= commit.String("author", "user", "display_name") ?? commit.String("author", "user", "nickname");
        return new CommitInfo(hash, commit.String("message"), name, email, BitbucketTimestamp.Read(commit, "date"));
    }

    /// <summary>Git's "Name &lt;email&gt;" as Cloud copies it into <c>author.raw</c>.</summary>
    internal static (string? Name, string? Email) ParseRawAuthor(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return (null, null);
        var open = raw.LastIndexOf('<');
        var close = raw.LastIndexOf('>');
        if (open < 0 || close < open)
            return (raw.Trim(), null);
        var name = raw[..open].Trim();
        var email = raw[(open + 1)..close].Trim();
        return (name.Length > 0 ? name : null, email.Length > 0 ? email : null);
    }
}

using Webhooks.Grains.Discovery;
using Webhooks.Grains.Events;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Which refs a subscription follows. A branch pattern selects branches, a tag pattern tags, both select either.
/// With neither, the subscription follows the repository's <b>default branch</b>: Bitbucket push payloads never say
/// which branch that is (Cloud's <c>mainbranch</c> is not in them), so in payload mode it is <c>main</c> or
/// <c>master</c>; in git mode it is the branch <c>HEAD</c> points at (the listed branch whose commit is HEAD's,
/// <c>main</c> then <c>master</c> first when several are), falling back to <c>main</c>/<c>master</c> when the listing
/// has no HEAD.
/// </summary>
public static class RefSelector
{
    public const string BranchPrefix = "refs/heads/";
    public const string TagPrefix = "refs/tags/";

    /// <summary>The default branches assumed when a repository's real default branch is unknown.</summary>
    public static readonly IReadOnlyList<string> ConventionalDefaultBranches = ["main", "master"];

    public static bool Selects(SubscriptionRule rule, RefKind kind, string shortName, string? defaultBranch = null)
    {
        if (rule.Branch is null && rule.Tag is null)
        {
            return kind == RefKind.Branch && (defaultBranch is null
                ? ConventionalDefaultBranches.Contains(shortName)
                : shortName == defaultBranch);
        }

        return kind switch
        {
            RefKind.Branch => rule.Branch is not null && RefPattern.Matches(rule.Branch, shortName),
            RefKind.Tag => rule.Tag is not null && RefPattern.Matches(rule.Tag, shortName),
            _ => false,
        };
    }

    public static string FullName(RefKind kind, string shortName) =>
        (kind == RefKind.Tag ? TagPrefix : BranchPrefix) + shortName;

    /// <summary>The heads a listing offers <paramref name="rule"/>: its followed branches and tags (peeled tags preferred).</summary>
    public static IReadOnlyList<RemoteRef> SelectListed(SubscriptionRule rule, IReadOnlyList<RemoteRef> refs)
    {
        var defaultBranch = rule.Branch is null && rule.Tag is null ? DefaultBranch(refs) : null;
        var selected = new Dictionary<string, RemoteRef>(StringComparer.Ordinal);
        foreach (var remote in refs)
        {
            if (remote.Name.StartsWith(BranchPrefix, StringComparison.Ordinal))
            {
                if (Selects(rule, RefKind.Branch, remote.Name[BranchPrefix.Length..], defaultBranch))
                {
                    selected[remote.Name] = remote;
                }
            }
            else if (remote.Name.StartsWith(TagPrefix, StringComparison.Ordinal))
            {
                // An annotated tag is listed twice: the tag object, then "^{}" with the commit it points at.
                var peeled = remote.Name.EndsWith("^{}", StringComparison.Ordinal);
                var name = peeled ? remote.Name[..^3] : remote.Name;
                if (Selects(rule, RefKind.Tag, name[TagPrefix.Length..]) && (peeled || !selected.ContainsKey(name)))
                {
                    selected[name] = new RemoteRef(name, remote.Commit);
                }
            }
        }

        return [.. selected.Values];
    }

    /// <summary>
    /// The branch HEAD points at: named by the listing (<c>--symref</c>), else inferred from HEAD's commit; null when
    /// it lists no HEAD.
    /// </summary>
    public static string? DefaultBranch(IReadOnlyList<RemoteRef> refs)
    {
        var head = refs.FirstOrDefault(r => r.Name == "HEAD");
        if (head is null)
        {
            return null;
        }

        if (head.Target is { } target && target.StartsWith(BranchPrefix, StringComparison.Ordinal))
        {
            return target[BranchPrefix.Length..];
        }

        var candidates = refs
            .Where(r => r.Name.StartsWith(BranchPrefix, StringComparison.Ordinal) && r.Commit == head.Commit)
            .Select(r => r.Name[BranchPrefix.Length..])
            .ToList();
        return ConventionalDefaultBranches.FirstOrDefault(candidates.Contains) ?? candidates.OrderBy(n => n, StringComparer.Ordinal).FirstOrDefault();
    }
}

namespace Webhooks.Grains.Discovery;

/// <summary>Reads <c>git ls-remote</c> output: <c>&lt;object id&gt;&lt;TAB&gt;&lt;ref&gt;</c> per line.</summary>
internal static class LsRemoteOutput
{
    private const string PeeledSuffix = "^{}";
    private const string SymrefPrefix = "ref: ";
    private const string Head = "HEAD";

    /// <summary>
    /// The refs in <paramref name="output"/>, sorted by name. An annotated tag is listed twice by git (the tag object,
    /// then <c>refs/tags/x^{}</c> with the commit it peels to): it is returned once, with the commit. Lines that are
    /// not an object id (SHA-1 or SHA-256) and a ref name — warnings, blank lines, CRLF endings — are skipped.
    /// With <c>--symref</c>, git first prints <c>ref: refs/heads/main&lt;TAB&gt;HEAD</c>: HEAD is returned with that
    /// target.
    /// </summary>
    public static IReadOnlyList<RemoteRef> Parse(string output)
    {
        var direct = new Dictionary<string, string>(StringComparer.Ordinal);
        var peeled = new Dictionary<string, string>(StringComparer.Ordinal);
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith(SymrefPrefix, StringComparison.Ordinal))
            {
                var parts = line[SymrefPrefix.Length..].Split('\t', 2, StringSplitOptions.TrimEntries);
                if (parts.Length == 2 && parts[0].StartsWith("refs/", StringComparison.Ordinal))
                    targets[parts[1]] = parts[0];
                continue;
            }

            var separator = line.IndexOfAny(['\t', ' ']);
            if (separator <= 0)
                continue;

            var objectId = line[..separator];
            var name = line[(separator + 1)..].Trim();
            if (!IsObjectId(objectId) || !(name.StartsWith("refs/", StringComparison.Ordinal) || name == Head))
                continue;

            objectId = objectId.ToLowerInvariant();
            if (name.EndsWith(PeeledSuffix, StringComparison.Ordinal))
                peeled[name[..^PeeledSuffix.Length]] = objectId;
            else
                direct[name] = objectId;
        }

        return direct
            .Select(entry => new RemoteRef(entry.Key, peeled.GetValueOrDefault(entry.Key, entry.Value), targets.GetValueOrDefault(entry.Key)))
            .OrderBy(reference => reference.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsObjectId(string value) => value.Length is 40 or 64 && value.All(char.IsAsciiHexDigit);
}

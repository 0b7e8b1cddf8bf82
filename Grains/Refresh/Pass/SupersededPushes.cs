namespace Webhooks.Grains.Refresh;

/// <summary>
/// Push order, not arrival order at the warehouse, decides a ref's current head. A delivery committed by a replica that
/// died before routing it reaches its warehouses only when the sweeper re-dispatches it, after later pushes to the same
/// ref may have become Freight: its heads are older and must not become the latest Freight. Found by the chaos tests
/// (a receiver replica killed under load).
/// </summary>
internal static class SupersededPushes
{
    /// <summary>
    /// The requests among <paramref name="requests"/> whose every head is for a ref whose latest Freight was announced by
    /// a delivery received after theirs (with another commit).
    /// </summary>
    public static IReadOnlyList<RefreshRequest> Find(IReadOnlyList<RefreshRequest> requests, PassState state) =>
        [.. requests.Where(request =>
            request.ReceivedAt is { } at
            && request.Heads.Count > 0
            && request.Heads.All(head =>
                state.Latest.TryGetValue((head.RepositoryKey, head.Ref), out var current)
                && current.Commit != head.Commit
                && current.Announced > at))];

    /// <summary>The order a refresh reads requests in: by when their push was received, else by when they were made.</summary>
    public static List<RefreshRequest> InPushOrder(IReadOnlyList<RefreshRequest> requests) =>
        [.. requests
            .OrderBy(r => r.ReceivedAt ?? r.RequestedAt)
            .ThenBy(r => r.RequestedAt)
            .ThenBy(r => r.Id)];
}

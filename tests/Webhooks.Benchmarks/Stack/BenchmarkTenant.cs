using System.Text.Json;

namespace Webhooks.Benchmarks.Stack;

/// <summary>A project with a Cloud and a Data Center receiver sharing one secret, as the scenarios push to it.</summary>
public sealed record BenchmarkTenant(string Project, Uri CloudUrl, Uri DataCenterUrl, string Secret)
{
    public const string SharedSecret = "bench-secret-7d1c0e9a54b2";

    public Payloads.PushBodies Bodies(int repositories) => new(Project, repositories, Secret, CloudUrl, DataCenterUrl);

    public static async Task<BenchmarkTenant> CreateAsync(ManagementClient api, string project)
    {
        await api.PostAsync("/api/projects", new { name = project }).ConfigureAwait(false);
        var cloud = await api.PostAsync($"/api/projects/{project}/receivers", new { name = "cloud", secret = SharedSecret }).ConfigureAwait(false);
        // Old Data Center payloads carry no repository links: the receiver's server URL names the repository.
        var dataCenter = await api.PostAsync($"/api/projects/{project}/receivers",
            new { name = "dc", secret = SharedSecret, serverUrl = $"https://{Payloads.PushBodies.DataCenterHost}/" }).ConfigureAwait(false);
        return new BenchmarkTenant(project, Url(cloud), Url(dataCenter), SharedSecret);
    }

    /// <summary><paramref name="perRepository"/> payload-discovery warehouses follow each repository's pushed branch.</summary>
    public async Task AddWarehousesAsync(ManagementClient api, Payloads.PushBodies bodies, int perRepository, int parallelism = 8)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, bodies.Repositories), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (repository, _) =>
        {
            for (var w = 0; w < perRepository; w++)
            {
                await api.PostAsync($"/api/projects/{Project}/warehouses", new
                {
                    name = WarehouseName(repository, w),
                    subscriptions = new[]
                    {
                        new { repoUrl = bodies.SubscriptionUrl(repository), branch = Payloads.PushBodies.Branch(repository), discovery = "payload" },
                    },
                }).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    public static string WarehouseName(int repository, int index) => $"{Payloads.PushBodies.Slug(repository)}-w{index}";

    private static Uri Url(JsonElement receiver) => new(receiver.GetProperty("url").GetString()!);
}

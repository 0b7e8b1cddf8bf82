using Webhooks.Benchmarks.Load;
using Webhooks.Benchmarks.Payloads;
using Webhooks.Benchmarks.Stack;

namespace Webhooks.Benchmarks.Scenarios;

/// <summary>A scenario's project, its repositories' bodies and what the generator was answered so far.</summary>
public sealed record ScenarioContext(BenchmarkTenant Tenant, PushBodies Bodies, int WarehousesPerRepository, AnswerLog Log)
{
    public IEnumerable<string> WarehousesOf(int repository) =>
        Enumerable.Range(0, WarehousesPerRepository).Select(w => BenchmarkTenant.WarehouseName(repository, w));

    public static async Task<ScenarioContext> CreateAsync(ManagementClient api, string project, int repositories, int warehousesPerRepository, Action<string> report)
    {
        report($"{project}: creating {repositories} repositories × {warehousesPerRepository} warehouses");
        var tenant = await BenchmarkTenant.CreateAsync(api, project).ConfigureAwait(false);
        var bodies = tenant.Bodies(repositories);
        await tenant.AddWarehousesAsync(api, bodies, warehousesPerRepository).ConfigureAwait(false);
        return new ScenarioContext(tenant, bodies, warehousesPerRepository, new AnswerLog());
    }
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Webhooks.Dashboard;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Dashboard;

/// <summary>
/// The Dashboard in-process, on the database and Orleans cluster of <paramref name="receiver"/> (whose silo its cluster
/// client joins, and whose admin token signs in). Start the receiver first.
/// </summary>
public sealed class DashboardFactory(StorageFixture storage, ReceiverFactory receiver) : WebApplicationFactory<DashboardEntryPoint>
{
    public string AdminToken => receiver.AdminToken;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:webhooks", receiver.DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:redis", storage.RedisConnectionString);
        builder.UseSetting("Orleans:ClusterId", receiver.ClusterId);
        builder.UseSetting("Orleans:ServiceId", receiver.ClusterId);
    }

    /// <summary>A browser-like client that neither follows redirects nor keeps cookies: tests set both by hand.</summary>
    public HttpClient CreateBareClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Tokens;

/// <summary>
/// Makes sure an admin token with the value of <c>Webhooks:BootstrapAdminToken</c> exists, so a fresh stack can be
/// administered at once. Safe when replicas start together: the token's hash is unique.
/// </summary>
public sealed partial class AdminTokenBootstrapper(
    IServiceScopeFactory scopeFactory,
    IOptions<BootstrapOptions> options,
    TimeProvider timeProvider,
    ILogger<AdminTokenBootstrapper> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var token = options.Value.BootstrapAdminToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            return;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var hash = ApiTokenSecret.Hash(token);
        var prefix = ApiTokenSecret.VisiblePrefix(token);
        var now = timeProvider.GetUtcNow();
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO api_tokens ("Id", "Name", "Type", "Description", "Prefix", "Hash", "CreatedAt")
            VALUES ({Guid.CreateVersion7()}, 'bootstrap', 'Admin', 'Created from Webhooks:BootstrapAdminToken', {prefix}, {hash}, {now})
            ON CONFLICT ("Hash") DO NOTHING
            """,
            cancellationToken);
        if (inserted > 0)
        {
            LogCreated(prefix);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the bootstrap admin token {Prefix}…")]
    private partial void LogCreated(string prefix);
}

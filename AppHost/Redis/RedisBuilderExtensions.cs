using Microsoft.Extensions.DependencyInjection;
using Webhooks.AppHost.Stack;

namespace Webhooks.AppHost.Redis;

public static class RedisBuilderExtensions
{
    /// <summary>
    /// The stack's Redis: the server given in <c>ConnectionStrings:{name}</c> when one is configured (production), else
    /// a <c>redis-server</c> of its own on a loopback port, persisting to <c>&lt;data-dir&gt;/redis</c>.
    /// Orleans' clustering provider is named for Redis either way.
    /// </summary>
    internal static IResourceBuilder<IResourceWithConnectionString> AddStackRedis(
        this IDistributedApplicationBuilder builder, string name, StackOptions stack)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
        {
            return builder.AddConnectionString(name).WithOrleansProviderType("Redis");
        }

        var password = builder.AddParameter($"{name}-password", () => DataDirectory.Secret(stack.DataDirectory, $"{name}-password"), secret: true);
        var directory = Path.Combine(stack.DataDirectory, name);
        Directory.CreateDirectory(directory);
        var server = new RedisServerResource(name, directory, password.Resource);
        // The password goes in a file of the owner's (mode 600), not on a command line that `ps` and the dashboard show.
        var configuration = Path.Combine(directory, "redis.conf");
        var healthCheck = $"{name}-ready";
        builder.Services.AddHealthChecks().Add(new(healthCheck, _ => new RedisHealthCheck(server), failureStatus: null, tags: null));

        return builder.AddResource(server)
            .WithArgs(async context =>
            {
                var secret = await password.Resource.GetValueAsync(context.CancellationToken).ConfigureAwait(false);
                await File.WriteAllTextAsync(configuration, $"requirepass \"{secret}\"\n", context.CancellationToken).ConfigureAwait(false);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(configuration, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                context.Args.Add(configuration);
                context.Args.Add("--port");
                context.Args.Add(server.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--dir");
                context.Args.Add(directory);
                // Every write in the append-only file, flushed each second: membership and caches survive a restart.
                context.Args.Add("--appendonly");
                context.Args.Add("yes");
                context.Args.Add("--save");
                context.Args.Add("");
            })
            .WithDirectEndpoint(RedisServerResource.EndpointName, "tcp")
            .WithHealthCheck(healthCheck)
            .WithOrleansProviderType("Redis")
            .WithIconName("Memory")
            .WithParentRelationship(password);
    }
}

using System.Globalization;
using Garnet;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Webhooks.AppHost.Hosting.Logging;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting.Redis;

/// <summary>
/// Redis as embedded Microsoft Garnet in the AppHost process on a free loopback port (append-only log in the data
/// directory, replayed on start; Lua on, because Orleans' Redis membership uses EVAL); or, when <c>ConnectionStrings:&lt;name&gt;</c> is configured, that server.
/// </summary>
public sealed class RedisResource(string name) : Resource(name), IResourceWithConnectionString
{
    private GarnetServer? _garnet;
    private ILoggerFactory? _loggerFactory;

    public int Port { get; private set; }

    public string? ExternalConnectionString { get; internal set; }

    public string ConnectionString => ExternalConnectionString ?? $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    internal override void Prepare(StackContext context)
    {
        if (ExternalConnectionString is null)
        {
            Port = context.Ports.Allocate(Name, context.FixedPort(Name));
        }
    }

    internal override async Task StartAsync(StackContext context, CancellationToken cancellationToken)
    {
        State = ResourceState.Starting;
        if (ExternalConnectionString is null)
        {
            var checkpoints = Path.Combine(context.DataDirectory, "garnet");
            _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(new ResourceLoggerProvider(Logger, LogLevel.Warning)));
            _garnet = new GarnetServer(
                [
                    "--port", Port.ToString(CultureInfo.InvariantCulture),
                    "--bind", "127.0.0.1",
                    "--lua",
                    "--checkpointdir", checkpoints,
                    // Durable like a production Redis with appendonly: a restart must not lose Orleans' membership table,
                    // which the silos cannot rebuild while running (chaos tests: Redis restarted under load).
                    "--aof",
                    "--recover",
                    // The default native device needs libaio, which the machine may not have.
                    "--device-type", "RandomAccess",
                    "-q",
                ],
                _loggerFactory);
            _garnet.Start();
            Logger.WriteLine($"Garnet listening on {ConnectionString}");
        }

        await WaitForPingAsync(context, cancellationToken).ConfigureAwait(false);
        State = ExternalConnectionString is null ? ResourceState.Running : ResourceState.External;
    }

    internal override Task StopAsync(StackContext context)
    {
        if (_garnet is not null)
        {
            State = ResourceState.Stopping;
            _garnet.Dispose();
            _garnet = null;
            _loggerFactory?.Dispose();
            State = ResourceState.Stopped;
        }

        return Task.CompletedTask;
    }

    private async Task WaitForPingAsync(StackContext context, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + context.Options.HealthTimeout;
        while (true)
        {
            try
            {
                var options = ConfigurationOptions.Parse(ConnectionString);
                options.AbortOnConnectFail = true;
                options.ConnectTimeout = 3000;
                await using var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
                await connection.GetDatabase().PingAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ArgumentException)
            {
                if (DateTime.UtcNow > deadline || e is ArgumentException)
                {
                    throw ExternalConnectionString is null
                        ? new StartupException(FailureMessages.NeverHealthy(Name, "PING", context.Options.HealthTimeout, Logger.RecentLines), e)
                        : new StartupException(FailureMessages.ExternalUnreachable(Name, $"ConnectionStrings:{Name}", context.Options.HealthTimeout, e.Message), e);
                }
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }
}

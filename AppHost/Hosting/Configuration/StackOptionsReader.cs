using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Webhooks.AppHost.Hosting.Configuration;

/// <summary>Fills <see cref="StackOptions"/> from the AppHost's configuration (appsettings, environment, command line).</summary>
internal static class StackOptionsReader
{
    public static StackOptions Read(IConfiguration configuration)
    {
        var options = new StackOptions();
        if (configuration["Replicas"] is { } replicas)
        {
            options.Replicas = int.TryParse(replicas, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 16
                ? n
                : throw new StartupException(FailureMessages.InvalidReplicas(replicas));
        }

        options.DataDirectory = NullIfEmpty(configuration["DataDir"]);
        options.Fresh = bool.TryParse(configuration["Fresh"], out var fresh) && fresh;
        if (int.TryParse(configuration["HealthTimeoutSeconds"], CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            options.HealthTimeout = TimeSpan.FromSeconds(seconds);
        }

        foreach (var port in configuration.GetSection("Ports").GetChildren())
        {
            if (int.TryParse(port.Value, CultureInfo.InvariantCulture, out var number) && number > 0)
            {
                options.Ports[port.Key] = number;
            }
        }

        options.PostgresBinDirectory = NullIfEmpty(configuration["Postgres:BinDirectory"]);
        options.EnvironmentName = NullIfEmpty(configuration["DOTNET_ENVIRONMENT"]) ?? NullIfEmpty(configuration["ASPNETCORE_ENVIRONMENT"]);
        return options;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

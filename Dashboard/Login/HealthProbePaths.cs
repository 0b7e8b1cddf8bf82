namespace Webhooks.Dashboard.Login;

/// <summary>The probe endpoints the AppHost and load balancers call without a dashboard session.</summary>
internal static class HealthProbePaths
{
    public static bool Contains(PathString path) =>
        path.StartsWithSegments(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath)
        || path.StartsWithSegments(Microsoft.Extensions.Hosting.Extensions.AlivenessEndpointPath);
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Webhooks.AppHost.Hosting;
using Webhooks.EndToEndTests;

namespace Webhooks.ChaosTests;

/// <summary>The stack as an operator checks it: every replica's <c>/health</c> answers 200 and every silo is Active.</summary>
public static class ClusterHealth
{
    public static async Task WaitUntilHealthyAsync(DistributedApplication app, int replicas, TimeSpan patience)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.ReturnsAsync(
            async () =>
            {
                for (var replica = 0; replica < replicas; replica++)
                {
                    using var health = await http.GetAsync(new Uri(app.GetEndpoint("receiver", replica), "/health"));
                    if (health.StatusCode != HttpStatusCode.OK)
                    {
                        return null;
                    }
                }

                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(app.GetEndpoint("receiver", 0), "/api/cluster"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.AdminToken);
                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return null;
                }

                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var active = json.RootElement.GetProperty("silos").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active");
                return active == replicas ? json : null;
            },
            patience,
            $"{replicas} replicas healthy with {replicas} active silos");
    }
}

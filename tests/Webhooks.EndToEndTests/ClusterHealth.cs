using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Webhooks.Testing;

namespace Webhooks.EndToEndTests;

/// <summary>The stack as an operator checks it: every receiver replica is healthy in Aspire and every silo is Active.</summary>
public static class ClusterHealth
{
    public static async Task<IReadOnlyList<string>> WaitUntilHealthyAsync(AppHostStack stack, int replicas, TimeSpan patience)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await Eventually.ReturnsAsync<IReadOnlyList<string>>(
            async () =>
            {
                var instances = stack.Processes.Instances("receiver");
                if (instances.Count != replicas || instances.Any(i => stack.Processes.ProcessId(i) is null))
                {
                    return null;
                }

                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.Receiver, "/api/cluster"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stack.AdminToken);
                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return null;
                }

                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var active = json.RootElement.GetProperty("silos").EnumerateArray()
                    .Where(s => s.GetProperty("status").GetString() == "Active")
                    .Select(s => s.GetProperty("address").GetString()!)
                    .ToList();
                return active.Count == replicas ? active : null;
            },
            patience,
            $"{replicas} receiver replicas running with {replicas} active silos");
    }
}

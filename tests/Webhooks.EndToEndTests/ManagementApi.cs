using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Webhooks.EndToEndTests;

/// <summary>The management API of one receiver replica, as an admin calls it (<c>Authorization: Bearer</c>).</summary>
public sealed class ManagementApi(Uri replica, string adminToken) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = replica,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", adminToken) },
    };

    /// <summary>POSTs <paramref name="body"/> and returns the answer, failing the test unless it is <paramref name="expected"/>.</summary>
    public async Task<JsonElement> PostAsync(string path, object? body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PipelineCoach.Testing;

/// <summary>A small typed reader of maildev 3's REST API: list, get one, delete all.</summary>
public sealed class MaildevClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every caught message, oldest first.</summary>
    public async Task<IReadOnlyList<MaildevMessage>> ListAsync(CancellationToken cancellationToken = default) =>
        await http.GetFromJsonAsync<List<MaildevMessage>>("api/email", Json, cancellationToken) ?? [];

    /// <summary>One message, or null when maildev has none with that id.</summary>
    public async Task<MaildevMessage?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri($"api/email/{Uri.EscapeDataString(id)}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<MaildevMessage>(Json, cancellationToken);
    }

    /// <summary>The caught messages sent to <paramref name="address"/>, oldest first.</summary>
    public async Task<IReadOnlyList<MaildevMessage>> ToAsync(string address, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken))
            .Where(m => m.To.Any(to => string.Equals(to.Address, address, StringComparison.OrdinalIgnoreCase)))
            .ToList();

    /// <summary>Deletes every caught message.</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync(new Uri("api/email/all", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>True when maildev's API answers its health check.</summary>
    internal async Task<bool> AnswersAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("api/healthz", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Testing;

namespace PipelineCoach.ServiceDefaults.Tests;

/// <summary>
/// Auth is on by default: whatever states no policy of its own needs an authenticated caller; health, metrics and
/// Swagger stay open on purpose.
/// </summary>
public sealed class When_a_request_reaches_a_service
{
    private DefaultsHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await DefaultsHost.StartAsync("auth_fallback");

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task The_fallback_policy_requires_an_authenticated_caller()
    {
        var fallback = await _host.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        using var unmarked = await _host.Http.GetAsync(new Uri("/api/v1/nothing-maps-this", UriKind.Relative));
        using var authenticated = new HttpClient { BaseAddress = _host.Http.BaseAddress }.WithScopes(DefaultsHost.ReadScope);
        using var found = await authenticated.GetAsync(new Uri("/api/v1/nothing-maps-this", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(fallback, Is.Not.Null);
            Assert.That(fallback!.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement>(), Is.Not.Empty);
            Assert.That(unmarked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "no endpoint states a policy here, and still a caller is needed");
            Assert.That(found.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "an authenticated caller learns it does not exist");
        });
    }

    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    [TestCase("/metrics")]
    [TestCase("/swagger/v1/swagger.json")]
    [TestCase("/swagger/index.html")]
    public async Task Infrastructure_stays_open(string path)
    {
        using var response = await _host.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.Unauthorized).And.Not.EqualTo(HttpStatusCode.Forbidden));
    }
}

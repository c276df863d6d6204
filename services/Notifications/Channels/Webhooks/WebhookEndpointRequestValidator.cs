using FluentValidation;
using Microsoft.Extensions.Options;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>A webhook endpoint's URL passes the SSRF policy, its signals are known and distinct, its description is short.</summary>
internal sealed class WebhookEndpointRequestValidator : AbstractValidator<WebhookEndpointRequest>
{
    public const int MaxDescriptionLength = 500;

    public WebhookEndpointRequestValidator(IOptions<WebhookChannelOptions> options)
    {
        var allowPrivateTargets = options.Value.AllowPrivateTargets;
        RuleFor(r => r.Url).Custom((url, context) =>
        {
            if (OutboundUrlPolicy.Validate(url, allowPrivateTargets) is { } error)
            {
                context.AddFailure("url", error);
            }
        });
        RuleFor(r => r.Signals).Custom((signals, context) =>
        {
            if (SignalsError(signals) is { } error)
            {
                context.AddFailure("signals", error);
            }
        });
        RuleFor(r => r.Description).MaximumLength(MaxDescriptionLength).OverridePropertyName("description")
            .WithMessage($"At most {MaxDescriptionLength} characters.");
    }

    private static string? SignalsError(IReadOnlyList<string>? signals)
    {
        if (signals is null || signals.Count == 0)
        {
            return $"Name one or more signals: {string.Join(", ", Signals.All)}.";
        }

        if (signals.Any(s => !Signals.IsKnown(s)))
        {
            return $"Unknown signal '{signals.First(s => !Signals.IsKnown(s))}'; use {string.Join(", ", Signals.All)}.";
        }

        return signals.Distinct(StringComparer.Ordinal).Count() == signals.Count ? null : "Each signal may be named once.";
    }
}

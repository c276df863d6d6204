using FluentValidation;
using Microsoft.Extensions.Options;
using PipelineCoach.Notifications.Channels.Webhooks;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>
/// A posted or put chat destination. Errors are keyed by the JSON field (<c>signals[1]</c>). The URL is required
/// only in the <see cref="Create"/> rule set: on update an absent URL keeps the stored one.
/// </summary>
internal sealed class ChatDestinationRequestValidator : AbstractValidator<ChatDestinationRequest>
{
    public const string Create = "create";
    public const int MaxNameLength = 200;
    public const int MaxUrlLength = 2048;

    public ChatDestinationRequestValidator(IOptions<WebhookChannelOptions> options)
    {
        var allowPrivateTargets = options.Value.AllowPrivateTargets;

        RuleFor(r => r.Type).Must(type => type is ChannelNames.Slack or ChannelNames.Teams).OverridePropertyName("type")
            .WithMessage($"Use '{ChannelNames.Slack}' or '{ChannelNames.Teams}'.");

        RuleSet(Create, () => RuleFor(r => r.Url).NotEmpty().OverridePropertyName("url").WithMessage("A URL is required."));
        RuleFor(r => r.Url).Custom((url, context) =>
        {
            if (UrlError(url!, allowPrivateTargets) is { } error)
            {
                context.AddFailure("url", error);
            }
        }).When(r => r.Url is not null);

        RuleFor(r => r.Name).NotEmpty().MaximumLength(MaxNameLength).OverridePropertyName("name");

        RuleFor(r => r.ManagerId).Must(BeUserId).When(r => r.ManagerId is not null).OverridePropertyName("managerId")
            .WithMessage("Use the manager's 18-character Salesforce user id, or null for the whole org.");

        RuleFor(r => r.Signals).NotEmpty().OverridePropertyName("signals")
            .WithMessage($"Give one or more signals: {string.Join(", ", Signals.All)}.");
        RuleFor(r => r.Signals).Must(signals => signals!.Distinct().Count() == signals!.Count).When(r => r.Signals is not null)
            .OverridePropertyName("signals").WithMessage("List each signal once.");
        RuleForEach(r => r.Signals).Must(Signals.IsKnown).OverridePropertyName("signals")
            .WithMessage((_, signal) => $"'{signal}' is not a signal; use {string.Join(", ", Signals.All)}.");
    }

    private static string? UrlError(string url, bool allowPrivateTargets)
    {
        if (url.Length > MaxUrlLength)
        {
            return $"The URL must be at most {MaxUrlLength} characters.";
        }

        if (OutboundUrlPolicy.Validate(url, allowPrivateTargets) is { } refusal)
        {
            return refusal;
        }

        // The URL is the credential, so it only travels encrypted; local receivers (private targets allowed) are
        // plain http. The host is deliberately not pinned to hooks.slack.com or a Logic Apps domain: Enterprise Grid
        // and Workflows URLs vary by region and tenant, and some orgs post through their own relay. SSRF is what the
        // address policy guards, here and again at connect time.
        return !allowPrivateTargets && new Uri(url).Scheme != Uri.UriSchemeHttps ? "A chat webhook URL must use https." : null;
    }

    private static bool BeUserId(string? id) => id is { Length: 18 } && id.All(char.IsAsciiLetterOrDigit);
}

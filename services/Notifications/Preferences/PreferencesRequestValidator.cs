using FluentValidation;
using FluentValidation.Results;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Preferences;

/// <summary>A put's preferences, each error keyed by its JSON path (<c>quietHours.start</c>, <c>channels.opportunity-risk[0]</c>).</summary>
internal sealed class PreferencesRequestValidator : AbstractValidator<PreferencesRequest>
{
    public const int MaxDailyInterruptionBudget = 1000;

    private const string TimeRule = "Use a local time as HH:mm, from 00:00 to 23:59.";

    public PreferencesRequestValidator()
    {
        RuleFor(r => r.Channels).Custom((channels, context) =>
        {
            foreach (var (signal, list) in channels ?? [])
            {
                ValidateChannels(signal, list, context);
            }
        });

        When(r => r.QuietHours is not null, () =>
        {
            RuleFor(r => r.QuietHours!.Start).Must(start => ClockTime.TryParse(start, out _)).OverridePropertyName("quietHours.start").WithMessage(TimeRule);
            RuleFor(r => r.QuietHours!.End).Must(end => ClockTime.TryParse(end, out _)).OverridePropertyName("quietHours.end").WithMessage(TimeRule);
        });

        RuleFor(r => r.TimeZone).Must(BeIanaZone!).When(r => r.TimeZone is not null).OverridePropertyName("timeZone")
            .WithMessage(r => $"'{r.TimeZone}' is not a known IANA time zone, such as Europe/Berlin.");
        RuleFor(r => r.Digest).Must(digest => DigestModes.All.Contains(digest!)).When(r => r.Digest is not null).OverridePropertyName("digest")
            .WithMessage($"Use one of: {string.Join(", ", DigestModes.All)}.");
        RuleFor(r => r.DigestAt).Must(at => ClockTime.TryParse(at, out _)).When(r => r.DigestAt is not null).OverridePropertyName("digestAt").WithMessage(TimeRule);
        RuleFor(r => r.DailyInterruptionBudget).InclusiveBetween(0, MaxDailyInterruptionBudget).OverridePropertyName("dailyInterruptionBudget")
            .WithMessage($"Use a whole number from 0 to {MaxDailyInterruptionBudget}.");
    }

    private static void ValidateChannels(string signal, string?[]? channels, ValidationContext<PreferencesRequest> context)
    {
        var field = $"channels.{signal}";
        if (!Signals.IsKnown(signal))
        {
            context.AddFailure(new ValidationFailure(field, $"Not a signal; use {string.Join(", ", Signals.All)}."));
            return;
        }

        if (channels is not { Length: > 0 })
        {
            context.AddFailure(new ValidationFailure(field, "List at least one channel, or leave the signal out to get it by email."));
            return;
        }

        for (var i = 0; i < channels.Length; i++)
        {
            if (channels[i] is not { } channel || !ChannelNames.ForRecipients.Contains(channel))
            {
                context.AddFailure(new ValidationFailure($"{field}[{i}]", $"Not a channel; use {string.Join(", ", ChannelNames.ForRecipients)}."));
            }
            else if (Array.IndexOf(channels, channel) < i)
            {
                context.AddFailure(new ValidationFailure($"{field}[{i}]", $"'{channel}' is listed twice."));
            }
        }
    }

    // Windows names resolve on Linux too, but the router and the other services speak IANA.
    private static bool BeIanaZone(string zone) => TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) && found.HasIanaId;
}

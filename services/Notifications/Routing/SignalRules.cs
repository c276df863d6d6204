using System.Globalization;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Notifications.Deliveries;

namespace PipelineCoach.Notifications.Routing;

/// <summary>The deal a signal is about, from the opportunity directory, for the words of a notice.</summary>
internal sealed record OpportunityInfo(string Id, string? Name, decimal? Amount, string? OwnerName);

/// <summary>
/// Which events are worth announcing, to whom by rule, and what the notice says. Pure: the router supplies the deal's
/// name and the hierarchy, and decides channels and timing.
/// </summary>
internal static class SignalRules
{
    /// <summary>The heading of a risk's coaching prompts: what the deal's stage expects that is not there yet.</summary>
    public const string MissingNowTitle = "What is missing now";

    private static readonly CultureInfo Words = CultureInfo.GetCultureInfo("en-US");

    /// <summary>
    /// A newly raised flag or a grade drop, for the owner. A deal's first score counts: a deal that arrives risky is
    /// announced like any other. A manager's own override is not announced back to the team.
    /// </summary>
    public static RoutedSignal? Risk(OpportunityScored scored, OpportunityInfo? deal)
    {
        var raised = scored.Flags.Except(scored.PreviousFlags, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var dropped = !scored.IsOverride && scored.PreviousGrade is { } before && string.CompareOrdinal(scored.Grade, before) > 0;
        if ((raised.Count == 0 && !dropped) || scored.OwnerId is null)
        {
            return null;
        }

        var name = deal?.Name ?? $"Opportunity {scored.OpportunityId}";
        var what = raised.Count > 0 ? string.Join(", ", raised.Select(FlagWords.Describe)) : null;
        var title = what is not null ? $"{name} is at risk: {what}" : $"{name} dropped from grade {scored.PreviousGrade} to {scored.Grade}";
        var subject = string.Join('+', raised.Count > 0 ? raised : [$"grade-{scored.PreviousGrade}-{scored.Grade}"]);

        // A live change is identified by the source version it was scored from, so a re-score of the same change
        // (another instance, a restart, a replay) has the same key; a deal that ages into a flag has no new version.
        var period = (scored.Cause == ScoreCause.Daily ? scored.OccurredAt : scored.SourceVersion).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var summary = dropped && what is not null
            ? $"Score {scored.Score} (grade {scored.Grade}, was {scored.PreviousGrade})."
            : $"Score {scored.Score}, grade {scored.Grade}.";
        return new RoutedSignal
        {
            BusinessKey = $"{Signals.OpportunityRisk}:{scored.OpportunityId}/{subject}:{period}",
            Signal = Signals.OpportunityRisk,
            SubjectId = scored.OpportunityId,
            OpportunityId = scored.OpportunityId,
            TeamMemberId = scored.OwnerId,
            Cause = scored.Cause,
            IsBulk = ScoreCause.IsBulk(scored.Cause),
            OccurredAt = scored.OccurredAt,
            Rank = (deal?.Amount ?? 0m) * (100 - scored.Score) / 100m,
            Audience = [new AudienceRule(scored.OwnerId, 0, "owner of the opportunity")],
            Notice = WithMissingNow(DealNotice(Signals.OpportunityRisk, $"{Signals.OpportunityRisk}:{scored.OpportunityId}/{subject}:{period}", title, summary,
                scored.OccurredAt, deal, scored.OpportunityId, "What changed", scored.Changes.Count > 0 ? scored.Changes : raised.Select(FlagWords.Describe).ToList()),
                scored.MissingNow),
        };
    }

    /// <summary>
    /// A risk tells the rep what to do about it: Scoring's coaching prompts for what the deal's stage expects and is not
    /// met (already plain words, no field names), one line each, in scorecard order. No prompts (the deal is on track,
    /// or a publisher older than <see cref="OpportunityScored.MissingNow"/>) leaves the notice exactly as it was.
    /// </summary>
    private static Notice WithMissingNow(Notice notice, IReadOnlyList<string> missingNow)
    {
        var prompts = missingNow.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).Distinct(StringComparer.Ordinal).ToList();
        return prompts.Count == 0 ? notice : notice with
        {
            Sections =
            [
                .. notice.Sections,
                new NoticeSection { Title = MissingNowTitle, OpportunityId = notice.OpportunityId, Lines = [.. prompts.Select(p => new NoticeLine { Text = p })] },
            ],
        };
    }

    /// <summary>The raised flags of a risk, each tracked for escalation.</summary>
    public static IReadOnlyList<string> NewlyRaised(OpportunityScored scored) =>
        [.. scored.Flags.Except(scored.PreviousFlags, StringComparer.Ordinal)];

    /// <summary>
    /// A risk still raised after the escalation window: level 1 goes to the owner's manager, level 2 to that manager's
    /// manager.
    /// </summary>
    public static RoutedSignal Escalation(string opportunityId, string flag, string ownerId, DateTimeOffset raisedAt, int level,
        int businessHours, DateTimeOffset now, OpportunityInfo? deal)
    {
        var name = deal?.Name ?? $"Opportunity {opportunityId}";
        var owner = deal?.OwnerName ?? ownerId;
        var key = $"{Signals.Escalation}:{opportunityId}/{flag}:{raisedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)}/level-{level}";
        var waited = businessHours * level;
        return new RoutedSignal
        {
            BusinessKey = key,
            Signal = Signals.Escalation,
            SubjectId = opportunityId,
            OpportunityId = opportunityId,
            TeamMemberId = ownerId,
            OccurredAt = now,
            Rank = deal?.Amount ?? 0m,
            Audience = [new AudienceRule(ownerId, level, level == 1 ? "manager of the owner (escalation level 1)" : "manager's manager of the owner (escalation level 2)")],
            Notice = DealNotice(Signals.Escalation, key, $"Still at risk after {waited} business hours: {name} ({FlagWords.Describe(flag)})",
                $"{owner}'s deal has been {FlagWords.Describe(flag)} since {raisedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC with no change that cleared it.",
                now, deal, opportunityId, "Why you are hearing this",
                [level == 1 ? $"It stayed raised for {businessHours} business hours in {owner}'s time zone." : $"It stayed raised for {waited} business hours; the first escalation did not clear it."]),
        };
    }

    /// <summary>A rep's or team's health condition raised: the rep and their manager, or the manager and theirs.</summary>
    public static RoutedSignal? Health(PipelineHealthChanged changed, string? subjectName)
    {
        if (!changed.IsRaised)
        {
            return null;
        }

        var isTeam = changed.SubjectKind == "team";
        var who = subjectName ?? changed.SubjectId;
        var condition = HealthWords.Describe(changed.Condition);
        var key = $"{Signals.PipelineHealth}:{changed.Condition}/{changed.SubjectKind}/{changed.SubjectId}:{changed.Period}";
        return new RoutedSignal
        {
            BusinessKey = key,
            Signal = Signals.PipelineHealth,
            SubjectId = changed.SubjectId,
            TeamMemberId = changed.SubjectId,
            OccurredAt = changed.OccurredAt,
            Audience = isTeam
                ? [new AudienceRule(changed.SubjectId, 0, "manager of the team"), new AudienceRule(changed.SubjectId, 1, "manager of the team's manager")]
                : [new AudienceRule(changed.SubjectId, 0, "the rep"), new AudienceRule(changed.SubjectId, 1, "manager of the rep")],
            Notice = new Notice
            {
                Signal = Signals.PipelineHealth,
                BusinessKey = key,
                Title = $"{(isTeam ? $"{who}'s team" : who)}: {condition} ({changed.Period})",
                Summary = changed.Reason ?? $"Measured {changed.Value.ToString("0.##", Words)} against {changed.Threshold.ToString("0.##", Words)}.",
                OccurredAt = changed.OccurredAt,
                Sections = [new NoticeSection { Title = "The figure", Lines = [new NoticeLine { Text = $"{condition}: {changed.Value.ToString("0.##", Words)} (threshold {changed.Threshold.ToString("0.##", Words)})" }] }],
            },
        };
    }

    /// <summary>The agenda of a due occurrence, for the assignee and the participants.</summary>
    public static RoutedSignal CadenceDue(CadenceOccurrenceDue due)
    {
        var name = due.CadenceName ?? due.Kind;
        var when = due.LocalStart is { } local && DateTime.TryParse(local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            ? $"{start.ToString("dddd d MMMM, HH:mm", Words)} {due.TimeZone}"
            : $"{due.ScheduledAt.UtcDateTime.ToString("dddd d MMMM, HH:mm", Words)} UTC";
        var key = $"{Signals.CadenceDue}:{due.OccurrenceId}:{due.ScheduledAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var sections = due.Sections.Count > 0
            ? due.Sections.Select(s => new NoticeSection
            {
                Title = s.Title,
                Lines = [.. s.Items.Select(i => new NoticeLine
                {
                    Text = i.Why, OpportunityId = i.OpportunityId, OpportunityName = i.OpportunityName, Amount = i.Amount, OwnerName = i.OwnerName,
                })],
            }).ToList()
            : [new NoticeSection { Title = "Agenda", Lines = [.. due.Agenda.Select(a => new NoticeLine { Text = a })] }];
        return new RoutedSignal
        {
            BusinessKey = key,
            Signal = Signals.CadenceDue,
            SubjectId = due.OccurrenceId,
            OpportunityId = due.OpportunityId,
            TeamMemberId = due.AssigneeId,
            OccurredAt = due.ScheduledAt,
            Audience = [new AudienceRule(due.AssigneeId, 0, "assignee of the cadence"), .. due.ParticipantIds.Where(p => p != due.AssigneeId).Distinct().Select(p => new AudienceRule(p, 0, "participant"))],
            Notice = new Notice
            {
                Signal = Signals.CadenceDue,
                BusinessKey = key,
                Title = $"{name}: {when}",
                Summary = $"The agenda for {name}, built from the pipeline as it stands now.",
                OpportunityId = due.OpportunityId,
                OccurredAt = due.ScheduledAt,
                Sections = sections,
            },
        };
    }

    /// <summary>An occurrence neither held nor skipped in time: the assignee's manager hears.</summary>
    public static RoutedSignal CadenceMissed(CadenceOccurrenceMissed missed, string? assigneeName)
    {
        var name = missed.CadenceName ?? missed.Kind;
        var key = $"{Signals.CadenceMissed}:{missed.OccurrenceId}:{missed.ScheduledAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var by = (missed.DueBy ?? missed.OccurredAt).UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new RoutedSignal
        {
            BusinessKey = key,
            Signal = Signals.CadenceMissed,
            SubjectId = missed.OccurrenceId,
            OpportunityId = missed.OpportunityId,
            TeamMemberId = missed.AssigneeId,
            OccurredAt = missed.OccurredAt,
            Audience = [new AudienceRule(missed.AssigneeId, 1, "manager of the cadence's assignee")],
            Notice = new Notice
            {
                Signal = Signals.CadenceMissed,
                BusinessKey = key,
                Title = $"Missed: {name} ({assigneeName ?? missed.AssigneeId})",
                Summary = $"It was neither held nor skipped by {by} UTC.",
                OpportunityId = missed.OpportunityId,
                OccurredAt = missed.OccurredAt,
            },
        };
    }

    private static Notice DealNotice(string signal, string key, string title, string summary, DateTimeOffset at, OpportunityInfo? deal, string opportunityId,
        string sectionTitle, IEnumerable<string> lines) => new()
        {
            Signal = signal,
            BusinessKey = key,
            Title = title,
            Summary = summary,
            OpportunityId = opportunityId,
            OpportunityName = deal?.Name,
            Amount = deal?.Amount,
            OwnerName = deal?.OwnerName,
            OccurredAt = at,
            Sections = [new NoticeSection { Title = sectionTitle, OpportunityId = opportunityId, Lines = [.. lines.Select(l => new NoticeLine { Text = l })] }],
        };
}

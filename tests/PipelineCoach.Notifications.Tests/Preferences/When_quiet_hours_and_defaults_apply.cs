using PipelineCoach.Notifications.Preferences;

namespace PipelineCoach.Notifications.Tests.Preferences;

/// <summary>The preference model the router reads: quiet-hour spans and the defaults.</summary>
public sealed class When_quiet_hours_and_defaults_apply
{
    [TestCase("20:00", true)]
    [TestCase("23:59", true)]
    [TestCase("00:00", true)]
    [TestCase("06:59", true)]
    [TestCase("07:00", false)]
    [TestCase("12:00", false)]
    [TestCase("19:59", false)]
    public void Should_hold_a_span_that_wraps_past_midnight_from_its_start_until_before_its_end(string local, bool quiet)
    {
        var hours = new QuietHours(new TimeOnly(20, 0), new TimeOnly(7, 0));
        Assert.That(hours.Contains(TimeOnly.Parse(local, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(quiet));
    }

    [TestCase("12:00", true)]
    [TestCase("13:29", true)]
    [TestCase("13:30", false)]
    [TestCase("11:59", false)]
    public void Should_hold_a_span_within_one_day_from_its_start_until_before_its_end(string local, bool quiet)
    {
        var hours = new QuietHours(new TimeOnly(12, 0), new TimeOnly(13, 30));
        Assert.That(hours.Contains(TimeOnly.Parse(local, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(quiet));
    }

    [TestCase("08:00")]
    [TestCase("07:59")]
    [TestCase("20:00")]
    public void Should_be_empty_when_it_starts_where_it_ends(string local)
    {
        var hours = new QuietHours(new TimeOnly(8, 0), new TimeOnly(8, 0));
        Assert.That(hours.Contains(TimeOnly.Parse(local, System.Globalization.CultureInfo.InvariantCulture)), Is.False);
    }

    [Test]
    public void Should_send_every_signal_by_email_without_quiet_hours_digest_or_override_within_a_budget_of_20()
    {
        var defaults = RecipientPreferences.Default;
        Assert.That(Notifications.Routing.Signals.All.Select(defaults.ChannelsFor), Is.All.EqualTo(new[] { "email" }));
        Assert.That(defaults.Channels.Keys, Is.EquivalentTo(Notifications.Routing.Signals.All));
        Assert.That(defaults.QuietHours, Is.Null);
        Assert.That(defaults.TimeZone, Is.Null);
        Assert.That(defaults.Digest, Is.EqualTo(DigestModes.None));
        Assert.That(defaults.DigestAt, Is.Null);
        Assert.That(defaults.DailyInterruptionBudget, Is.EqualTo(20));
    }

    [Test]
    public void Should_send_a_signal_left_out_of_the_channels_by_email()
    {
        var preferences = new RecipientPreferences { Channels = new Dictionary<string, IReadOnlyList<string>> { ["opportunity-risk"] = ["slack", "teams"] } };
        Assert.That(preferences.ChannelsFor("opportunity-risk"), Is.EqualTo(new[] { "slack", "teams" }));
        Assert.That(preferences.ChannelsFor("cadence-due"), Is.EqualTo(new[] { "email" }));
    }
}

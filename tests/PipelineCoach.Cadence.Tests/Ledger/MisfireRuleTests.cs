using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Cadence.Ledger;

namespace PipelineCoach.Cadence.Tests.Ledger;

public sealed class When_the_misfire_rule_decides
{
    private static readonly DateTimeOffset Slot = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DueBy = Slot.AddHours(24);

    [TestCase(MisfireSpec.Skip, 10, true)]
    [TestCase(MisfireSpec.Skip, 31, false)]
    [TestCase(MisfireSpec.FireOnce, 10, true)]
    [TestCase(MisfireSpec.FireOnce, 600, true)]
    public void Should_fire_within_grace_and_apply_the_policy_after(string policy, int minutesLate, bool fires) =>
        Assert.That(MisfireRule.Fires(new MisfireSpec(policy, 30), Slot, DueBy, Slot, Slot.AddMinutes(minutesLate)), Is.EqualTo(fires));

    [Test]
    public void Should_fire_only_the_latest_late_slot_under_fire_once() =>
        Assert.That(MisfireRule.Fires(new MisfireSpec(MisfireSpec.FireOnce, 30), Slot, DueBy, latestDueSlot: Slot.AddHours(1), Slot.AddHours(2)), Is.False);

    [TestCase(MisfireSpec.FireOnce)]
    [TestCase(MisfireSpec.Skip)]
    public void Should_never_fire_a_slot_whose_window_has_passed(string policy) =>
        Assert.That(MisfireRule.Fires(new MisfireSpec(policy, 100_000), Slot, DueBy, Slot, DueBy.AddMinutes(1)), Is.False,
            "it would be announced due and missed at once");
}

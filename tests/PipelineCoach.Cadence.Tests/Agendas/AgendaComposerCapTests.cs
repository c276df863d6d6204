using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Tests.Agendas;

public sealed class When_a_section_has_more_items_than_a_meeting_can_take
{
    [Test]
    public void Should_keep_the_first_ones_and_say_how_many_more()
    {
        var section = new AgendaSection
        {
            Code = "new-risks", Title = "New risk flags",
            Items = [.. Enumerable.Range(0, 40).Select(i => new AgendaItem { Why = $"item {i}", OpportunityId = $"006{i:D15}" })],
        };

        var capped = AgendaComposer.Capped(section);

        Assert.That(capped.Items, Has.Count.EqualTo(AgendaComposer.MaxItemsPerSection + 1));
        Assert.That(capped.Items.Take(AgendaComposer.MaxItemsPerSection).Select(i => i.Why), Is.EqualTo(section.Items.Take(AgendaComposer.MaxItemsPerSection).Select(i => i.Why)));
        Assert.That(capped.Items[^1].Code, Is.EqualTo("more"));
        Assert.That(capped.Items[^1].Why, Does.StartWith("…and 15 more"));
    }

    [Test]
    public void Should_leave_a_short_section_alone()
    {
        var section = new AgendaSection { Code = "deal", Title = "The deal", Items = [new AgendaItem { Why = "one" }] };
        Assert.That(AgendaComposer.Capped(section), Is.SameAs(section));
    }
}

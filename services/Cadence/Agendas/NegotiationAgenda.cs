using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>Negotiation preparation: the amount and discount, and the concessions to plan before the customer asks.</summary>
internal static class NegotiationAgenda
{
    /// <summary>At or above this the discount is deep (the default scorecard's maverick-discounting threshold).</summary>
    public const decimal DeepDiscountPercent = 20;

    /// <summary>A close date this near puts time pressure on the negotiation.</summary>
    public const int NearCloseDays = 30;

    public static IReadOnlyList<AgendaSection> Compose(AgendaScope scope)
    {
        if (DealReviewAgenda.DealOf(scope) is not { } deal)
        {
            return [DealReviewAgenda.DealUnknown(scope)];
        }

        var discount = deal.DiscountPercent is { } d ? $"a {AgendaWords.Percent(d)} discount" : "no discount recorded";
        var close = deal.CloseDate is { } date ? $"closing {AgendaWords.Date(date)}" : "no close date";
        return
        [
            new AgendaSection
            {
                Code = AgendaSections.DealTerms,
                Title = "Amount and discount",
                Items = [scope.Item(deal, "deal-terms", $"{AgendaWords.Money(deal.Amount)} with {discount}, in {deal.Stage ?? "an unknown stage"}, {close}.")],
            },
            new AgendaSection
            {
                Code = AgendaSections.Concessions,
                Title = "Concessions to plan",
                Items = [.. Prompts(deal, scope.LocalDate).Select(p => scope.Item(deal, p.Code, p.Why))],
            },
        ];
    }

    /// <summary>Plain-words prompts from the amount, the discount and the close date.</summary>
    public static IReadOnlyList<(string Code, string Why)> Prompts(AgendaDeal deal, DateOnly today)
    {
        var prompts = new List<(string, string)>
        {
            ("walk-away", $"Agree the walk-away point before the call: the lowest price and terms still worth taking for this {AgendaWords.Money(deal.Amount)} deal."),
        };

        switch (deal.DiscountPercent)
        {
            case >= DeepDiscountPercent and var deep:
                prompts.Add(("deep-discount", $"The {AgendaWords.Percent(deep)} discount is already deep: any further concession must buy something back (a longer term, more scope, a reference, or a signature date)."));
                break;
            case > 0 and var some:
                prompts.Add(("trade-concessions", $"A {AgendaWords.Percent(some)} discount is already on the table: trade each further concession for something of value instead of giving it away."));
                break;
            default:
                prompts.Add(("non-price-first", "No discount so far: decide which non-price concessions (payment terms, onboarding, scope) can be traded before price is discussed."));
                break;
        }

        if (deal.CloseDate is { } close)
        {
            var days = close.DayNumber - today.DayNumber;
            if (days < 0)
            {
                prompts.Add(("close-date-passed", $"The close date ({AgendaWords.Date(close)}) has passed: agree a new date with the customer before negotiating terms."));
            }
            else if (days <= NearCloseDays)
            {
                prompts.Add(("close-date-pressure", $"The close date is {AgendaWords.Days(days)} away: check it is the customer's own deadline, not our quarter end, so time pressure does not turn into a discount."));
            }
        }

        return prompts;
    }
}

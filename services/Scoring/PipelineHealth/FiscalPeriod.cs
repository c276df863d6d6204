using System.Globalization;
using System.Text.RegularExpressions;

namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// A fiscal quarter such as <c>2026-Q4</c>. The fiscal year starts in a configurable month and is named after the
/// calendar year it ends in (a year starting in February 2026 is FY2027), as Salesforce does by default.
/// </summary>
internal sealed partial record FiscalPeriod(string Name, DateOnly Start, DateOnly End)
{
    [GeneratedRegex(@"^(\d{4})-Q([1-4])$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? name, int fiscalYearStartMonth, out FiscalPeriod period)
    {
        period = null!;
        var match = Pattern().Match(name ?? "");
        if (!match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var quarter = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var yearStart = new DateOnly(fiscalYearStartMonth == 1 ? year : year - 1, fiscalYearStartMonth, 1);
        var start = yearStart.AddMonths(3 * (quarter - 1));
        period = new FiscalPeriod(name!, start, start.AddMonths(3).AddDays(-1));
        return true;
    }

    public static FiscalPeriod Containing(DateOnly day, int fiscalYearStartMonth)
    {
        var monthsIntoYear = ((day.Month - fiscalYearStartMonth) + 12) % 12;
        var yearStart = new DateOnly(day.Year, day.Month, 1).AddMonths(-monthsIntoYear);
        var fiscalYear = fiscalYearStartMonth == 1 ? yearStart.Year : yearStart.Year + 1;
        var quarter = (monthsIntoYear / 3) + 1;
        var start = yearStart.AddMonths(3 * (quarter - 1));
        return new FiscalPeriod($"{fiscalYear}-Q{quarter}", start, start.AddMonths(3).AddDays(-1));
    }

    public bool Contains(DateOnly day) => day >= Start && day <= End;
}

namespace PipelineCoach.SalesforceSimulator.Generation;

/// <summary>How the generator decides whether a closed deal was won.</summary>
public enum OutcomeModelKind
{
    /// <summary>
    /// The default: the chance of winning rises with the qualification the deal had while open and falls with slips
    /// and late deep discounts (see <see cref="OutcomeModelParameters"/>).
    /// </summary>
    Qualification,

    /// <summary>The control: a coin toss with <see cref="OutcomeModelParameters.RandomWinRate"/>, blind to qualification.</summary>
    Random,
}

/// <summary>
/// Parameters of the qualification outcome model. Each closed background deal first gets a hidden quality
/// <c>q ~ U(0, 1)</c>; each of the five proactive criteria (customer-driven close date, executive priority, buying plan,
/// multi-threaded, dated next step) is met while open with probability <c>CriterionFloor + CriterionSlope · q</c>. Then
/// <c>P(win) = logistic(B0 + B1 · share met + B2 · customer-driven close date − B3 · pushes − B4 · late deep discount + N(0, Noise))</c>.
/// </summary>
public sealed record OutcomeModelParameters
{
    public double B0 { get; init; } = -2.6;

    /// <summary>Weight of the share (0–1) of the five proactive criteria met while open.</summary>
    public double B1 { get; init; } = 3.5;

    /// <summary>Bonus of a customer-driven close date (a compelling event on or after the close, never pushed).</summary>
    public double B2 { get; init; } = 0.5;

    /// <summary>Penalty per close-date push.</summary>
    public double B3 { get; init; } = 0.35;

    /// <summary>Penalty of a late deep discount (20–35 % in the last weeks).</summary>
    public double B4 { get; init; } = 0.8;

    /// <summary>Standard deviation of the normal noise added to the log-odds.</summary>
    public double Noise { get; init; } = 0.5;

    /// <summary>Chance that a criterion is met by the worst-run deal (q = 0).</summary>
    public double CriterionFloor { get; init; } = 0.1;

    /// <summary>How much more often the best-run deal (q = 1) meets each criterion.</summary>
    public double CriterionSlope { get; init; } = 0.8;

    /// <summary>Chance of a late deep discount on the worst-run deal; the best-run deal gets <see cref="LateDiscountFloor"/>.</summary>
    public double LateDiscountCeiling { get; init; } = 0.28;

    public double LateDiscountFloor { get; init; } = 0.08;

    /// <summary>Win rate of the <see cref="OutcomeModelKind.Random"/> control (the default model's rate, about 34 %).</summary>
    public double RandomWinRate { get; init; } = 0.34;

    public static OutcomeModelParameters Default { get; } = new();

    public static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>The model's win probability without noise, for a deal's qualification as it stood while open.</summary>
    public double WinProbability(double shareMet, bool customerDriven, int pushes, bool lateDeepDiscount, double noise = 0) =>
        Logistic(B0 + (B1 * shareMet) + (customerDriven ? B2 : 0) - (B3 * pushes) - (lateDeepDiscount ? B4 : 0) + noise);
}

/// <summary>The outcome model of a generated org, as recorded in its ground truth.</summary>
public sealed record OutcomeModelTruth
{
    /// <summary><c>qualification</c> or <c>random</c>.</summary>
    public required string Model { get; init; }

    public required string Description { get; init; }

    public required OutcomeModelParameters Parameters { get; init; }

    /// <summary>Closed background deals and how many were won.</summary>
    public required int ClosedDeals { get; init; }

    public required int Won { get; init; }

    public double WinRate => ClosedDeals == 0 ? 0 : (double)Won / ClosedDeals;
}

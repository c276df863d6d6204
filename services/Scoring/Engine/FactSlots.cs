namespace PipelineCoach.Scoring.Engine;

/// <summary>Fixed positions of the built-in facts in a facts buffer; custom fields follow them.</summary>
internal static class FactSlots
{
    public static readonly int Amount = Slot("Amount");
    public static readonly int Probability = Slot("Probability");
    public static readonly int CloseDate = Slot("CloseDate");
    public static readonly int StageName = Slot("StageName");
    public static readonly int ForecastCategoryName = Slot("ForecastCategoryName");
    public static readonly int NextStep = Slot("NextStep");
    public static readonly int LastActivityDate = Slot("LastActivityDate");
    public static readonly int CreatedDate = Slot("CreatedDate");
    public static readonly int IsClosed = Slot("IsClosed");
    public static readonly int IsWon = Slot("IsWon");
    public static readonly int ContactRoleCount = Slot("ContactRoles.Count");
    public static readonly int DistinctRoleCount = Slot("ContactRoles.DistinctRoles");
    public static readonly int Roles = Slot("ContactRoles.Roles");
    public static readonly int CloseDatePushCount = Slot("History.CloseDatePushCount");
    public static readonly int TotalDaysPushed = Slot("History.TotalDaysPushed");
    public static readonly int QuarterBoundariesCrossed = Slot("History.QuarterBoundariesCrossed");
    public static readonly int StageRegressionCount = Slot("History.StageRegressionCount");
    public static readonly int CompellingEventMoves = Slot("History.CompellingEventMoves");
    public static readonly int DaysInCurrentStage = Slot("Derived.DaysInCurrentStage");
    public static readonly int StageNormalDays = Slot("Derived.StageNormalDays");
    public static readonly int StageAgeRatio = Slot("Derived.StageAgeRatio");
    public static readonly int DaysSinceLastActivity = Slot("Derived.DaysSinceLastActivity");
    public static readonly int DaysUntilClose = Slot("Derived.DaysUntilClose");
    public static readonly int AgeDays = Slot("Derived.AgeDays");
    public static readonly int NextStepHasDate = Slot("Derived.NextStepHasDate");
    public static readonly int NextStepTextDate = Slot("Derived.NextStepTextDate");
    public static readonly int DaysFromCloseToEvent = Slot("Derived.DaysFromCloseToEvent");
    public static readonly int DaysToQuarterEnd = Slot("Derived.DaysToQuarterEnd");
    public static readonly int NormalCycleDays = Slot("Derived.NormalCycleDays");
    public static readonly int AgeCycleRatio = Slot("Derived.AgeCycleRatio");
    public static readonly int LongOverdue = Slot("Criteria.LongOverdue");
    public static readonly int Score = Slot("Score");
    public static readonly int CriteriaOverdue = Slot("Criteria.Overdue");

    public static int BuiltInCount => FactCatalog.BuiltIn.Count;

    private static int Slot(string name)
    {
        for (var i = 0; i < FactCatalog.BuiltIn.Count; i++)
        {
            if (FactCatalog.BuiltIn[i].Name == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Fact '{name}' is missing from the catalog.");
    }
}

using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Scorecards;

/// <summary>
/// The scorecards shipped with the suite. They are written as JSON, exactly as an admin would post them,
/// so they double as the reference examples in <c>docs/scoring.md</c>.
/// </summary>
public static class DefaultScorecards
{
    public const string ProactiveQualificationId = "proactive-qualification";
    public const string MeddiccId = "meddicc";

    private static readonly Lazy<Scorecard> ProactiveQualificationScorecard = new(() => ScorecardJson.DeserializeValid(ProactiveQualificationJson));
    private static readonly Lazy<Scorecard> MeddiccScorecard = new(() => ScorecardJson.DeserializeValid(MeddiccJson));

    public static Scorecard ProactiveQualification => ProactiveQualificationScorecard.Value;

    public static Scorecard Meddicc => MeddiccScorecard.Value;

    public static IReadOnlyList<Scorecard> All => [ProactiveQualification, Meddicc];

    /// <summary>Salesforce's default sales process, with the days a healthy deal spends in each stage.</summary>
    private const string StandardStages = """
          { "name": "Prospecting", "normalDays": 14 },
          { "name": "Qualification", "normalDays": 14 },
          { "name": "Needs Analysis", "normalDays": 21 },
          { "name": "Value Proposition", "normalDays": 21 },
          { "name": "Id. Decision Makers", "normalDays": 21 },
          { "name": "Perception Analysis", "normalDays": 14 },
          { "name": "Proposal/Price Quote", "normalDays": 21 },
          { "name": "Negotiation/Review", "normalDays": 21 }
        """;

    public const string ProactiveQualificationJson = """
        {
          "id": "proactive-qualification",
          "version": 1,
          "name": "Proactive qualification",
          "description": "Is this deal well diagnosed and qualified early, while coaching can still change the outcome?",
          "stages": [
        """ + StandardStages + """
          ],
          "customFields": [
            { "name": "Compelling_Event_Date__c", "type": "date", "description": "The customer's own must-have date." },
            { "name": "Compelling_Event__c", "type": "text", "description": "What happens on that date if nothing is bought." },
            { "name": "Executive_Sponsor__c", "type": "text" },
            { "name": "Economic_Buyer__c", "type": "text" },
            { "name": "Identified_Pain__c", "type": "text", "description": "The business case / pain the deal solves." },
            { "name": "Decision_Process__c", "type": "text" },
            { "name": "Decision_Criteria__c", "type": "text" },
            { "name": "Next_Step_Date__c", "type": "date", "description": "The date of the next step agreed with the customer." },
            { "name": "Discount_Percent__c", "type": "number" }
          ],
          "criteria": [
            {
              "id": "customer-close-date",
              "name": "Customer-driven close date",
              "description": "The close date is the customer's compelling event, not our quarter end.",
              "weight": 20,
              "expectedFromStage": "Qualification",
              "rule": { "any": [
                { "field": "Compelling_Event_Date__c", "operator": "isSet" },
                { "field": "Compelling_Event__c", "operator": "isSet" }
              ] }
            },
            {
              "id": "executive-priority",
              "name": "Tied to an executive priority",
              "description": "An executive sponsor or economic buyer is identified and the business pain is documented.",
              "weight": 20,
              "expectedFromStage": "Needs Analysis",
              "rule": { "all": [
                { "any": [
                  { "field": "Executive_Sponsor__c", "operator": "isSet" },
                  { "field": "Economic_Buyer__c", "operator": "isSet" },
                  { "field": "ContactRoles.Roles", "operator": "containsAny", "values": ["Economic Buyer", "Executive Sponsor"] }
                ] },
                { "field": "Identified_Pain__c", "operator": "isSet" }
              ] }
            },
            {
              "id": "buying-plan",
              "name": "Buying plan understood",
              "description": "We know how they will decide (process) and on what (criteria) before we propose.",
              "weight": 20,
              "expectedFromStage": "Id. Decision Makers",
              "rule": { "all": [
                { "field": "Decision_Process__c", "operator": "isSet" },
                { "field": "Decision_Criteria__c", "operator": "isSet" }
              ] }
            },
            {
              "id": "multi-threaded",
              "name": "Multi-threaded",
              "description": "At least three people are engaged, including someone who can decide.",
              "weight": 20,
              "expectedFromStage": "Needs Analysis",
              "rule": { "all": [
                { "field": "ContactRoles.Count", "operator": "gte", "value": 3 },
                { "field": "ContactRoles.Roles", "operator": "containsAny", "values": ["Economic Buyer", "Decision Maker"] }
              ] }
            },
            {
              "id": "dated-next-step",
              "name": "Dated next step agreed",
              "description": "A next step with a date, agreed with the customer.",
              "weight": 20,
              "rule": { "any": [
                { "field": "Next_Step_Date__c", "operator": "daysUntilAtLeast", "value": 0 },
                { "field": "Derived.NextStepHasDate", "operator": "isTrue" }
              ] }
            }
          ],
          "flags": [
            {
              "id": "slipping",
              "name": "Slipping",
              "description": "The close date keeps moving out, especially across quarters.",
              "when": { "any": [
                { "field": "History.CloseDatePushCount", "operator": "gte", "value": 3 },
                { "field": "History.QuarterBoundariesCrossed", "operator": "gte", "value": 2 }
              ] },
              "reason": "close date pushed {History.CloseDatePushCount} times across {History.QuarterBoundariesCrossed} quarters ({History.TotalDaysPushed} days in total)"
            },
            {
              "id": "stalled",
              "name": "Stalled",
              "description": "No stage progress for more than twice the stage's normal duration.",
              "when": { "field": "Derived.StageAgeRatio", "operator": "gte", "value": 2 },
              "reason": "{Derived.DaysInCurrentStage} days in {StageName}, where {Derived.StageNormalDays} is normal"
            },
            {
              "id": "premature-presentation",
              "name": "Premature presentation",
              "description": "Proposal reached while qualification is weak; it lengthens the cycle.",
              "when": { "all": [
                { "field": "StageName", "operator": "atOrAfter", "value": "Proposal/Price Quote" },
                { "field": "Score", "operator": "lt", "value": 60 }
              ] },
              "reason": "reached {StageName} with a qualification score of {Score} and {Criteria.Overdue} expected criteria unmet"
            },
            {
              "id": "maverick-discounting",
              "name": "Maverick discounting",
              "description": "A deep discount standing in for real urgency.",
              "when": { "field": "Discount_Percent__c", "operator": "gte", "value": 20 },
              "reason": "{Discount_Percent__c}% discount with {Derived.DaysUntilClose} days to the close date"
            },
            {
              "id": "single-threaded",
              "name": "Single-threaded",
              "description": "Only one contact engaged past the first stage.",
              "when": { "all": [
                { "field": "ContactRoles.Count", "operator": "lte", "value": 1 },
                { "field": "StageName", "operator": "atOrAfter", "value": "Qualification" }
              ] },
              "reason": "{ContactRoles.Count} contact role(s) at {StageName}"
            },
            {
              "id": "no-next-step",
              "name": "No next step",
              "description": "No next step recorded, or its date has passed.",
              "when": { "any": [
                { "all": [
                  { "field": "NextStep", "operator": "isNotSet" },
                  { "field": "Next_Step_Date__c", "operator": "isNotSet" }
                ] },
                { "field": "Next_Step_Date__c", "operator": "daysSinceAtLeast", "value": 1 }
              ] },
              "reason": "next step '{NextStep}' dated {Next_Step_Date__c}"
            },
            {
              "id": "stale-activity",
              "name": "Stale activity",
              "description": "Nobody has touched the deal for two weeks.",
              "when": { "any": [
                { "field": "Derived.DaysSinceLastActivity", "operator": "gte", "value": 14 },
                { "all": [
                  { "field": "LastActivityDate", "operator": "isNotSet" },
                  { "field": "Derived.AgeDays", "operator": "gte", "value": 14 }
                ] }
              ] },
              "reason": "last activity {LastActivityDate} ({Derived.DaysSinceLastActivity} days ago) on a deal {Derived.AgeDays} days old"
            }
          ],
          "grades": [
            { "grade": "A", "min": 80, "max": 100, "winProbability": 0.5 },
            { "grade": "B", "min": 60, "max": 79, "winProbability": 0.3 },
            { "grade": "C", "min": 40, "max": 59, "winProbability": 0.15 },
            { "grade": "D", "min": 0, "max": 39, "winProbability": 0.05 }
          ]
        }
        """;

    public const string MeddiccJson = """
        {
          "id": "meddicc",
          "version": 1,
          "name": "MEDDICC",
          "description": "Metrics, Economic buyer, Decision criteria, Decision process, Identify pain, Champion, Competition.",
          "stages": [
        """ + StandardStages + """
          ],
          "customFields": [
            { "name": "Metrics__c", "type": "text", "description": "The measurable outcome the customer expects." },
            { "name": "Economic_Buyer__c", "type": "text" },
            { "name": "Decision_Criteria__c", "type": "text" },
            { "name": "Decision_Process__c", "type": "text" },
            { "name": "Identified_Pain__c", "type": "text" },
            { "name": "Champion__c", "type": "text" },
            { "name": "Competition__c", "type": "text", "description": "Who or what we compete with, including 'do nothing'." }
          ],
          "criteria": [
            { "id": "metrics", "name": "Metrics quantified", "weight": 15, "expectedFromStage": "Needs Analysis",
              "rule": { "field": "Metrics__c", "operator": "isSet" } },
            { "id": "economic-buyer", "name": "Economic buyer known", "weight": 15, "expectedFromStage": "Proposal/Price Quote",
              "rule": { "any": [
                { "field": "Economic_Buyer__c", "operator": "isSet" },
                { "field": "ContactRoles.Roles", "operator": "containsAny", "values": ["Economic Buyer"] }
              ] } },
            { "id": "decision-criteria", "name": "Decision criteria known", "weight": 14, "expectedFromStage": "Id. Decision Makers",
              "rule": { "field": "Decision_Criteria__c", "operator": "isSet" } },
            { "id": "decision-process", "name": "Decision process known", "weight": 14, "expectedFromStage": "Id. Decision Makers",
              "rule": { "field": "Decision_Process__c", "operator": "isSet" } },
            { "id": "identify-pain", "name": "Pain identified", "weight": 14, "expectedFromStage": "Qualification",
              "rule": { "field": "Identified_Pain__c", "operator": "isSet" } },
            { "id": "champion", "name": "Champion engaged", "weight": 14, "expectedFromStage": "Value Proposition",
              "rule": { "any": [
                { "field": "Champion__c", "operator": "isSet" },
                { "field": "ContactRoles.Roles", "operator": "containsAny", "values": ["Champion"] }
              ] } },
            { "id": "competition", "name": "Competition understood", "weight": 14, "expectedFromStage": "Perception Analysis",
              "rule": { "field": "Competition__c", "operator": "isSet" } }
          ],
          "flags": [
            {
              "id": "premature-presentation",
              "name": "Premature presentation",
              "when": { "all": [
                { "field": "StageName", "operator": "atOrAfter", "value": "Proposal/Price Quote" },
                { "field": "Criteria.Overdue", "operator": "gte", "value": 1 }
              ] },
              "reason": "reached {StageName} with {Criteria.Overdue} MEDDICC element(s) still unknown"
            },
            {
              "id": "single-threaded",
              "name": "Single-threaded",
              "when": { "all": [
                { "field": "ContactRoles.Count", "operator": "lte", "value": 1 },
                { "field": "StageName", "operator": "atOrAfter", "value": "Qualification" }
              ] },
              "reason": "{ContactRoles.Count} contact role(s) at {StageName}"
            }
          ],
          "grades": [
            { "grade": "A", "min": 80, "max": 100, "winProbability": 0.5 },
            { "grade": "B", "min": 60, "max": 79, "winProbability": 0.3 },
            { "grade": "C", "min": 40, "max": 59, "winProbability": 0.15 },
            { "grade": "D", "min": 0, "max": 39, "winProbability": 0.05 }
          ]
        }
        """;
}

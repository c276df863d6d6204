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
          "compellingEventField": "Compelling_Event_Date__c",
          "stages": [
        """ + StandardStages + """
          ],
          "customFields": [
            { "name": "Compelling_Event_Date__c", "type": "date", "label": "compelling event date", "description": "The customer's own must-have date." },
            { "name": "Compelling_Event__c", "type": "text", "label": "compelling event", "description": "What happens on that date if nothing is bought." },
            { "name": "Executive_Sponsor__c", "type": "text", "label": "executive sponsor" },
            { "name": "Economic_Buyer__c", "type": "text", "label": "economic buyer" },
            { "name": "Identified_Pain__c", "type": "text", "label": "business pain", "description": "The business case / pain the deal solves." },
            { "name": "Decision_Process__c", "type": "text", "label": "decision process" },
            { "name": "Decision_Criteria__c", "type": "text", "label": "decision criteria" },
            { "name": "Next_Step_Date__c", "type": "date", "label": "next step date", "description": "The date of the next step agreed with the customer." },
            { "name": "Discount_Percent__c", "type": "number", "label": "discount %" }
          ],
          "criteria": [
            {
              "id": "customer-close-date",
              "name": "Customer-driven close date",
              "description": "The close date is the customer's compelling event, not our quarter end: the event is still ahead, the close date falls on or before it, and neither date keeps moving: the close date has not slipped across more than one quarter end and the event itself has been moved later at most once (one move onto the customer's date is fine; an event that moves with every push is the seller's).",
              "weight": 20,
              "expectedFromStage": "Qualification",
              "prompt": "Why this date? No customer event still ahead holds the close date in place.",
              "rule": { "all": [
                { "field": "Compelling_Event_Date__c", "operator": "daysUntilAtLeast", "value": 0 },
                { "any": [
                  { "field": "History.CompellingEventMoves", "operator": "isNotSet" },
                  { "field": "History.CompellingEventMoves", "operator": "lte", "value": 1 }
                ] },
                { "any": [
                  { "field": "History.QuarterBoundariesCrossed", "operator": "isNotSet" },
                  { "field": "History.QuarterBoundariesCrossed", "operator": "lte", "value": 1 }
                ] },
                { "field": "Derived.DaysFromCloseToEvent", "operator": "gte", "value": 0 }
              ] }
            },
            {
              "id": "executive-priority",
              "name": "Tied to an executive priority",
              "description": "An executive sponsor or economic buyer is identified and the business pain is documented.",
              "weight": 20,
              "expectedFromStage": "Needs Analysis",
              "prompt": "Whose priority is this? Name the executive sponsor or economic buyer and the business pain.",
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
              "prompt": "How will they decide? Record their decision process and criteria before proposing.",
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
              "prompt": "Who else is involved? Engage at least three people, one of whom can decide.",
              "rule": { "all": [
                { "field": "ContactRoles.Count", "operator": "gte", "value": 3 },
                { "field": "ContactRoles.Roles", "operator": "containsAny", "values": ["Economic Buyer", "Decision Maker"] }
              ] }
            },
            {
              "id": "dated-next-step",
              "name": "Dated next step agreed",
              "description": "A next step still ahead, with a date, agreed with the customer. A next step whose date has passed does not count.",
              "weight": 20,
              "prompt": "What happens next, and when? Agree a dated next step with the customer.",
              "rule": { "any": [
                { "field": "Next_Step_Date__c", "operator": "daysUntilAtLeast", "value": 0 },
                { "all": [
                  { "field": "Next_Step_Date__c", "operator": "isNotSet" },
                  { "field": "Derived.NextStepTextDate", "operator": "daysUntilAtLeast", "value": 0 }
                ] },
                { "all": [
                  { "field": "Next_Step_Date__c", "operator": "isNotSet" },
                  { "field": "Derived.NextStepTextDate", "operator": "isNotSet" },
                  { "field": "Derived.NextStepHasDate", "operator": "isTrue" }
                ] }
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
              "reason": "close date pushed out {History.CloseDatePushCount} times, across {History.QuarterBoundariesCrossed} quarter ends ({History.TotalDaysPushed} days in all)."
            },
            {
              "id": "stalled",
              "name": "Stalled",
              "description": "No stage progress for more than twice the stage's normal duration.",
              "when": { "field": "Derived.StageAgeRatio", "operator": "gte", "value": 2 },
              "reason": "{Derived.DaysInCurrentStage} days in {StageName}, where about {Derived.StageNormalDays} is normal."
            },
            {
              "id": "premature-presentation",
              "name": "Premature presentation",
              "description": "Proposal reached while qualification is weak; it lengthens the cycle.",
              "when": { "all": [
                { "field": "StageName", "operator": "atOrAfter", "value": "Proposal/Price Quote" },
                { "field": "Score", "operator": "lt", "value": 60 }
              ] },
              "reason": "reached {StageName} with a qualification score of {Score} and {Criteria.Overdue} expected criteria still missing (listed under what is missing now)."
            },
            {
              "id": "maverick-discounting",
              "name": "Maverick discounting",
              "description": "A deep discount standing in for real urgency: given late in the quarter's push (30 days or less to close), or with no customer event to close against.",
              "when": { "all": [
                { "field": "Discount_Percent__c", "operator": "gte", "value": 20 },
                { "any": [
                  { "field": "Derived.DaysUntilClose", "operator": "lte", "value": 30 },
                  { "field": "Compelling_Event_Date__c", "operator": "isNotSet" }
                ] }
              ] },
              "reason": "a {Discount_Percent__c}% discount with {Derived.DaysUntilClose} days to the close date; customer's compelling event: {Compelling_Event_Date__c}."
            },
            {
              "id": "seller-driven-close-date",
              "name": "Seller-driven close date",
              "description": "The close date is our quarter end rather than the customer's event: it sits in the last week of its quarter with no compelling event, or falls after the event.",
              "when": { "any": [
                { "all": [
                  { "field": "Derived.DaysToQuarterEnd", "operator": "lte", "value": 7 },
                  { "field": "Compelling_Event_Date__c", "operator": "isNotSet" }
                ] },
                { "field": "Derived.DaysFromCloseToEvent", "operator": "lt", "value": 0 }
              ] },
              "reason": "the close date {CloseDate} is our quarter end or past the customer's date (days before its quarter ends: {Derived.DaysToQuarterEnd}; customer's compelling event: {Compelling_Event_Date__c})."
            },
            {
              "id": "single-threaded",
              "name": "Single-threaded",
              "description": "Only one contact engaged past the first stage.",
              "when": { "all": [
                { "field": "ContactRoles.Count", "operator": "lte", "value": 1 },
                { "field": "StageName", "operator": "atOrAfter", "value": "Qualification" }
              ] },
              "reason": "only {ContactRoles.Count} contact(s) engaged at {StageName}."
            },
            {
              "id": "no-next-step",
              "name": "No next step",
              "description": "No next step recorded, or its date (the date field, or a date named in the text) has passed.",
              "when": { "any": [
                { "all": [
                  { "field": "NextStep", "operator": "isNotSet" },
                  { "field": "Next_Step_Date__c", "operator": "isNotSet" }
                ] },
                { "field": "Next_Step_Date__c", "operator": "daysSinceAtLeast", "value": 1 },
                { "all": [
                  { "field": "Next_Step_Date__c", "operator": "isNotSet" },
                  { "field": "Derived.NextStepTextDate", "operator": "daysSinceAtLeast", "value": 1 }
                ] }
              ] },
              "reason": "nothing agreed is still ahead (next step: {NextStep}; next step date: {Next_Step_Date__c}; date in its text: {Derived.NextStepTextDate})."
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
              "reason": "nobody has worked the deal for two weeks (last activity: {LastActivityDate}; deal age: {Derived.AgeDays} days)."
            },
            {
              "id": "chase-or-close",
              "name": "Chase or close",
              "description": "Walk-away discipline: the deal is older than a whole normal cycle and two or more expected criteria have been missing for 30 days or more. Requalify it this week or close it lost.",
              "when": { "all": [
                { "field": "Derived.AgeCycleRatio", "operator": "gte", "value": 1 },
                { "field": "Criteria.LongOverdue", "operator": "gte", "value": 2 }
              ] },
              "reason": "{Derived.AgeDays} days old against a normal cycle of {Derived.NormalCycleDays}, with {Criteria.LongOverdue} expected criteria missing for 30 days or more: requalify it or close it."
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
            { "name": "Metrics__c", "type": "text", "label": "metrics", "description": "The measurable outcome the customer expects." },
            { "name": "Economic_Buyer__c", "type": "text", "label": "economic buyer" },
            { "name": "Decision_Criteria__c", "type": "text", "label": "decision criteria" },
            { "name": "Decision_Process__c", "type": "text", "label": "decision process" },
            { "name": "Identified_Pain__c", "type": "text", "label": "business pain" },
            { "name": "Champion__c", "type": "text", "label": "champion" },
            { "name": "Competition__c", "type": "text", "label": "competition", "description": "Who or what we compete with, including 'do nothing'." }
          ],
          "criteria": [
            { "id": "metrics", "name": "Metrics quantified", "weight": 15, "expectedFromStage": "Needs Analysis",
              "prompt": "What will they measure? Quantify the outcome the customer expects.",
              "rule": { "field": "Metrics__c", "operator": "isSet" } },
            { "id": "economic-buyer", "name": "Economic buyer known", "weight": 15, "expectedFromStage": "Proposal/Price Quote",
              "prompt": "Who signs? No economic buyer is named yet.",
              "rule": { "any": [
                { "field": "Economic_Buyer__c", "operator": "isSet" },
                { "field": "ContactRoles.Roles", "operator": "containsAny", "values": ["Economic Buyer"] }
              ] } },
            { "id": "decision-criteria", "name": "Decision criteria known", "weight": 14, "expectedFromStage": "Id. Decision Makers",
              "prompt": "On what will they decide? Record their decision criteria.",
              "rule": { "field": "Decision_Criteria__c", "operator": "isSet" } },
            { "id": "decision-process", "name": "Decision process known", "weight": 14, "expectedFromStage": "Id. Decision Makers",
              "prompt": "How will they decide? Map the steps and people of their decision process.",
              "rule": { "field": "Decision_Process__c", "operator": "isSet" } },
            { "id": "identify-pain", "name": "Pain identified", "weight": 14, "expectedFromStage": "Qualification",
              "prompt": "Why would they buy? Write down the business pain in their words.",
              "rule": { "field": "Identified_Pain__c", "operator": "isSet" } },
            { "id": "champion", "name": "Champion engaged", "weight": 14, "expectedFromStage": "Value Proposition",
              "prompt": "Who sells for us when we are not in the room? No champion is named yet.",
              "rule": { "any": [
                { "field": "Champion__c", "operator": "isSet" },
                { "field": "ContactRoles.Roles", "operator": "containsAny", "values": ["Champion"] }
              ] } },
            { "id": "competition", "name": "Competition understood", "weight": 14, "expectedFromStage": "Perception Analysis",
              "prompt": "Who else could win this, including doing nothing? Record the competition.",
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
              "reason": "reached {StageName} with {Criteria.Overdue} MEDDICC element(s) still unknown (listed under what is missing now)."
            },
            {
              "id": "single-threaded",
              "name": "Single-threaded",
              "when": { "all": [
                { "field": "ContactRoles.Count", "operator": "lte", "value": 1 },
                { "field": "StageName", "operator": "atOrAfter", "value": "Qualification" }
              ] },
              "reason": "only {ContactRoles.Count} contact(s) engaged at {StageName}."
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

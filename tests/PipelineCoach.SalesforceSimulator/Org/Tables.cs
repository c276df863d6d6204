using PipelineCoach.SalesforceSimulator.Generation;
using static PipelineCoach.SalesforceSimulator.Org.FieldType;

namespace PipelineCoach.SalesforceSimulator.Org;

internal sealed class UserRoleTable(List<UserRoleRecord> roles) : SObjectTable("UserRole", "00E",
[
    new("Id", Id), new("Name", FieldType.String), new("ParentRoleId", Reference, ReferenceTo: "UserRole"),
    new("LastModifiedDate", FieldType.DateTime), new("SystemModstamp", FieldType.DateTime),
])
{
    public long CreatedMs { get; init; }

    public override int Count => roles.Count;

    protected override FieldValue GetStored(int row, int field) => field switch
    {
        1 => FieldValue.Of(roles[row].Name),
        2 => FieldValue.OfId(KeyPrefix, roles[row].ParentIndex),
        _ => FieldValue.OfDateTime(CreatedMs),
    };
}

internal sealed class UserTable(List<UserRecord> users) : SObjectTable("User", SalesforceIds.User,
[
    new("Id", Id), new("Username", FieldType.String), new("FirstName", FieldType.String, true),
    new("LastName", FieldType.String, true), new("Name", FieldType.String), new("Email", FieldType.String, true),
    new("Title", FieldType.String, true), new("TimeZoneSidKey", Picklist, true),
    new("ManagerId", Reference, true, "User"), new("UserRoleId", Reference, true, "UserRole"),
    new("IsActive", FieldType.Boolean, true), new("UserType", Picklist), new("CreatedDate", FieldType.DateTime),
    new("LastModifiedDate", FieldType.DateTime), new("LastModifiedById", Reference, ReferenceTo: "User"),
    new("SystemModstamp", FieldType.DateTime),
])
{
    public List<UserRecord> Users => users;

    public override int Count => users.Count;

    protected override FieldValue GetStored(int row, int field)
    {
        var u = users[row];
        return field switch
        {
            1 => FieldValue.Of(u.Username),
            2 => FieldValue.Of(u.FirstName),
            3 => FieldValue.Of(u.LastName),
            4 => FieldValue.Of(u.Name),
            5 => FieldValue.Of(u.Email),
            6 => FieldValue.Of(u.Title),
            7 => FieldValue.Of(u.TimeZoneSidKey),
            8 => FieldValue.OfId(SalesforceIds.User, u.ManagerIndex),
            9 => FieldValue.OfId("00E", u.RoleIndex),
            10 => FieldValue.Of(u.IsActive),
            11 => FieldValue.Of("Standard"),
            14 => FieldValue.OfId(SalesforceIds.User, 0),
            _ => FieldValue.OfDateTime(u.CreatedMs),
        };
    }
}

internal sealed class AccountTable(RowList<AccountRow> rows) : SObjectTable("Account", SalesforceIds.Account,
[
    new("Id", Id), new("IsDeleted", FieldType.Boolean), new("Name", FieldType.String, true),
    new("Industry", Picklist, true), new("OwnerId", Reference, true, "User"), new("CreatedDate", FieldType.DateTime),
    new("LastModifiedDate", FieldType.DateTime), new("LastModifiedById", Reference, ReferenceTo: "User"),
    new("SystemModstamp", FieldType.DateTime),
])
{
    public RowList<AccountRow> Rows => rows;

    public override int Count => rows.Count;

    protected override FieldValue GetStored(int row, int field)
    {
        ref var r = ref rows[row];
        return field switch
        {
            2 => FieldValue.Of(NamePools.AccountName(row)),
            3 => FieldValue.Of(NamePools.Industries[r.Industry]),
            4 => FieldValue.OfId(SalesforceIds.User, r.OwnerIndex),
            5 => FieldValue.OfDateTime(r.CreatedMs),
            7 => FieldValue.OfId(SalesforceIds.User, r.OwnerIndex),
            _ => FieldValue.OfDateTime(r.ModstampMs),
        };
    }
}

internal sealed class ContactTable(RowList<ContactRow> rows, Func<int, long> accountModstamp)
    : SObjectTable("Contact", SalesforceIds.Contact,
[
    new("Id", Id), new("IsDeleted", FieldType.Boolean), new("AccountId", Reference, true, "Account"),
    new("FirstName", FieldType.String, true), new("LastName", FieldType.String, true), new("Name", FieldType.String),
    new("Title", FieldType.String, true), new("Email", FieldType.String, true), new("CreatedDate", FieldType.DateTime),
    new("LastModifiedDate", FieldType.DateTime), new("LastModifiedById", Reference, ReferenceTo: "User"),
    new("SystemModstamp", FieldType.DateTime),
])
{
    public RowList<ContactRow> Rows => rows;

    public override int Count => rows.Count;

    protected override FieldValue GetStored(int row, int field)
    {
        ref var r = ref rows[row];
        var first = NamePools.FirstNames[r.FirstName];
        var last = NamePools.LastNames[r.LastName];
        return field switch
        {
            2 => FieldValue.OfId(SalesforceIds.Account, r.AccountIndex),
            3 => FieldValue.Of(first),
            4 => FieldValue.Of(last),
            5 => FieldValue.Of($"{first} {last}"),
            6 => FieldValue.Of(NamePools.ContactTitles[r.Title]),
            7 => FieldValue.Of($"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}.{row}@customer.example"),
            8 => FieldValue.OfDateTime(r.CreatedMs),
            10 => FieldValue.OfId(SalesforceIds.User, 0),
            _ => FieldValue.OfDateTime(Math.Max(r.CreatedMs, accountModstamp(r.AccountIndex))),
        };
    }
}

internal sealed class OpportunityTable(RowList<OpportunityRow> rows) : SObjectTable("Opportunity", SalesforceIds.Opportunity,
[
    new("Id", Id), new("IsDeleted", FieldType.Boolean), new("AccountId", Reference, true, "Account"),
    new("Name", FieldType.String, true), new("StageName", Picklist, true), new("Amount", Currency, true),
    new("Probability", Percent, true), new("ExpectedRevenue", Currency, InChangeEvents: false),
    new("CloseDate", Date, true), new("Type", Picklist, true), new("NextStep", FieldType.String, true),
    new("LeadSource", Picklist, true), new("IsClosed", FieldType.Boolean), new("IsWon", FieldType.Boolean),
    new("ForecastCategory", Picklist), new("ForecastCategoryName", Picklist, true),
    new("OwnerId", Reference, true, "User"), new("CreatedDate", FieldType.DateTime),
    new("CreatedById", Reference, ReferenceTo: "User"), new("LastModifiedDate", FieldType.DateTime),
    new("LastModifiedById", Reference, ReferenceTo: "User"), new("SystemModstamp", FieldType.DateTime),
    new("LastActivityDate", Date, InChangeEvents: false), new("LastStageChangeDate", FieldType.DateTime, InChangeEvents: false),
    new("FiscalQuarter", Integer), new("FiscalYear", Integer), new("Fiscal", FieldType.String),
    new("HasOpenActivity", FieldType.Boolean, InChangeEvents: false),
    new("HasOverdueTask", FieldType.Boolean, InChangeEvents: false),
    new("Compelling_Event_Date__c", Date, true), new("Executive_Sponsor__c", Reference, true, "Contact"),
    new("Discount_Percent__c", Percent, true), new("Next_Step_Date__c", Date, true),
    new("Compelling_Event__c", FieldType.String, true), new("Economic_Buyer__c", FieldType.String, true),
    new("Identified_Pain__c", TextArea, true), new("Decision_Process__c", TextArea, true),
    new("Decision_Criteria__c", TextArea, true), new("Metrics__c", TextArea, true),
    new("Champion__c", FieldType.String, true), new("Competition__c", FieldType.String, true),
    new("Qualification_Score__c", FieldType.Double, true),
    new("Qualification_Grade__c", FieldType.String, true), new("Qualification_Flags__c", TextArea, true),
])
{
    public const int StageNameField = 4;
    public const int AmountField = 5;
    public const int ProbabilityField = 6;
    public const int CloseDateField = 8;
    public const int OwnerField = 16;

    public RowList<OpportunityRow> Rows => rows;

    public override int Count => rows.Count;

    public Stage StageOf(int row) => StageLadder.Find(Get(row, StageNameField).Text) ?? StageLadder.Prospecting;

    protected override FieldValue GetStored(int row, int field)
    {
        ref var r = ref rows[row];
        var stage = StageLadder.All[r.Stage];
        return field switch
        {
            2 => FieldValue.OfId(SalesforceIds.Account, r.AccountIndex),
            3 => FieldValue.Of($"{NamePools.AccountName(r.AccountIndex)} - {NamePools.Products[r.Product]}"),
            4 => FieldValue.Of(stage.Name),
            5 => FieldValue.OfDouble(r.Amount),
            6 => FieldValue.OfDouble(stage.Probability),
            7 => ExpectedRevenue(row),
            8 => FieldValue.OfDate(r.CloseDay),
            9 => FieldValue.Of(NamePools.OpportunityTypes[r.Type]),
            10 => r.NextStepText == OpportunityRow.NoNextStep
                ? FieldValue.Null
                : FieldValue.Of($"{DateOnly.FromDayNumber(r.NextStepDay):yyyy-MM-dd} {NamePools.NextSteps[r.NextStepText]}"),
            11 => FieldValue.Of(NamePools.LeadSources[r.LeadSource]),
            12 => FieldValue.Of(StageOf(row).IsClosed),
            13 => FieldValue.Of(StageOf(row).IsWon),
            14 => FieldValue.Of(StageOf(row).ForecastCategory),
            15 => FieldValue.Of(stage.ForecastCategoryName),
            16 => FieldValue.OfId(SalesforceIds.User, r.OwnerIndex),
            17 => FieldValue.OfDateTime(r.CreatedMs),
            18 or 20 => FieldValue.OfId(SalesforceIds.User, r.OwnerIndex),
            19 or 21 => FieldValue.OfDateTime(r.ModstampMs),
            22 => FieldValue.OfDate(r.LastActivityDay),
            23 => FieldValue.OfDateTime(r.LastStageChangeMs),
            24 => FieldValue.OfInt(FiscalCalendar.Quarter(Get(row, CloseDateField).AsDate)),
            25 => FieldValue.OfInt(Get(row, CloseDateField).AsDate.Year),
            26 => FieldValue.Of($"{Get(row, CloseDateField).AsDate.Year} {FiscalCalendar.Quarter(Get(row, CloseDateField).AsDate)}"),
            27 => FieldValue.Of(r.HasOpenActivity),
            28 => FieldValue.Of(r.HasOverdueTask),
            29 => FieldValue.OfDate(r.CompellingEventDay),
            30 => FieldValue.OfId(SalesforceIds.Contact, r.ExecutiveSponsorContact),
            31 => FieldValue.OfDouble(r.DiscountPercent),
            32 => r.NextStepText == OpportunityRow.NoNextStep ? FieldValue.Null : FieldValue.OfDate(r.NextStepDay),
            >= 33 and <= 40 => QualificationText(row, r, field - 33),
            _ => FieldValue.Null,
        };
    }

    /// <summary>The qualification text fields (MEDDICC-style), present when their bit is set.</summary>
    private static FieldValue QualificationText(int row, in OpportunityRow r, int bit)
    {
        if ((r.Qualification & (1 << bit)) == 0)
        {
            return FieldValue.Null;
        }

        var contact = (r.AccountIndex * OrgGenerator.ContactsPerAccount) + ((row + bit) % OrgGenerator.ContactsPerAccount);
        return bit switch
        {
            QualificationFields.EconomicBuyer or QualificationFields.Champion => FieldValue.Of(
                $"{NamePools.FirstNames[(contact * 7) % NamePools.FirstNames.Length]} {NamePools.LastNames[(contact * 11) % NamePools.LastNames.Length]}"),
            _ => FieldValue.Of(NamePools.Qualification[bit][(row + r.AccountIndex) % NamePools.Qualification[bit].Length]),
        };
    }

    private FieldValue ExpectedRevenue(int row)
    {
        var amount = Get(row, AmountField);
        var probability = Get(row, ProbabilityField);
        return amount.IsNull || probability.IsNull
            ? FieldValue.Null
            : FieldValue.OfDouble(Math.Round(amount.AsDouble * probability.AsDouble / 100, 2));
    }
}

internal sealed class OpportunityHistoryTable(RowList<HistoryRow> rows) : SObjectTable("OpportunityHistory", SalesforceIds.OpportunityHistory,
[
    new("Id", Id), new("IsDeleted", FieldType.Boolean), new("OpportunityId", Reference, ReferenceTo: "Opportunity"),
    new("StageName", Picklist), new("Amount", Currency), new("ExpectedRevenue", Currency), new("CloseDate", Date),
    new("Probability", Percent), new("ForecastCategory", Picklist), new("PrevAmount", Currency),
    new("PrevCloseDate", Date), new("CreatedById", Reference, ReferenceTo: "User"),
    new("CreatedDate", FieldType.DateTime), new("SystemModstamp", FieldType.DateTime),
])
{
    public RowList<HistoryRow> Rows => rows;

    public override int Count => rows.Count;

    protected override FieldValue GetStored(int row, int field)
    {
        ref var r = ref rows[row];
        var stage = StageLadder.All[r.Stage];
        return field switch
        {
            2 => FieldValue.OfId(SalesforceIds.Opportunity, r.Opportunity),
            3 => FieldValue.Of(stage.Name),
            4 => FieldValue.OfDouble(r.Amount),
            5 => double.IsNaN(r.Amount) ? FieldValue.Null : FieldValue.OfDouble(Math.Round(r.Amount * stage.Probability / 100, 2)),
            6 => FieldValue.OfDate(r.CloseDay),
            7 => FieldValue.OfDouble(stage.Probability),
            8 => FieldValue.Of(stage.ForecastCategory),
            9 => FieldValue.OfDouble(r.PrevAmount),
            10 => FieldValue.OfDate(r.PrevCloseDay),
            11 => FieldValue.OfId(SalesforceIds.User, r.CreatedBy),
            _ => FieldValue.OfDateTime(r.CreatedMs),
        };
    }
}

/// <summary>
/// Field history of the Opportunity fields with history tracking on: here only the compelling event date. Values
/// are anyType in Salesforce; a date field's come back as <c>yyyy-MM-dd</c> strings, as here.
/// </summary>
internal sealed class OpportunityFieldHistoryTable(RowList<FieldHistoryRow> rows) : SObjectTable("OpportunityFieldHistory", SalesforceIds.OpportunityFieldHistory,
[
    new("Id", Id), new("IsDeleted", FieldType.Boolean), new("OpportunityId", Reference, ReferenceTo: "Opportunity"),
    new("Field", Picklist), new("DataType", Picklist), new("OldValue", Date), new("NewValue", Date),
    new("CreatedById", Reference, ReferenceTo: "User"), new("CreatedDate", FieldType.DateTime),
])
{
    public static readonly IReadOnlyList<string> TrackedFields = ["Compelling_Event_Date__c"];

    public RowList<FieldHistoryRow> Rows => rows;

    public override int Count => rows.Count;

    protected override FieldValue GetStored(int row, int field)
    {
        ref var r = ref rows[row];
        return field switch
        {
            2 => FieldValue.OfId(SalesforceIds.Opportunity, r.Opportunity),
            3 => FieldValue.Of(TrackedFields[r.Field]),
            4 => FieldValue.Of("Date"),
            5 => FieldValue.OfDate(r.OldDay),
            6 => FieldValue.OfDate(r.NewDay),
            7 => FieldValue.OfId(SalesforceIds.User, r.CreatedBy),
            _ => FieldValue.OfDateTime(r.CreatedMs),
        };
    }
}

internal sealed class ContactRoleTable(RowList<ContactRoleRow> rows) : SObjectTable("OpportunityContactRole", SalesforceIds.OpportunityContactRole,
[
    new("Id", Id), new("IsDeleted", FieldType.Boolean), new("OpportunityId", Reference, ReferenceTo: "Opportunity", CreateOnly: true),
    new("ContactId", Reference, true, "Contact"), new("Role", Picklist, true), new("IsPrimary", FieldType.Boolean, true),
    new("CreatedDate", FieldType.DateTime), new("CreatedById", Reference, ReferenceTo: "User"),
    new("LastModifiedDate", FieldType.DateTime), new("LastModifiedById", Reference, ReferenceTo: "User"),
    new("SystemModstamp", FieldType.DateTime),
])
{
    public RowList<ContactRoleRow> Rows => rows;

    public override int Count => rows.Count;

    protected override FieldValue GetStored(int row, int field)
    {
        ref var r = ref rows[row];
        return field switch
        {
            2 => FieldValue.OfId(SalesforceIds.Opportunity, r.Opportunity),
            3 => FieldValue.OfId(SalesforceIds.Contact, r.Contact),
            4 => FieldValue.Of(NamePools.ContactRoles[r.Role]),
            5 => FieldValue.Of(r.IsPrimary),
            7 or 9 => FieldValue.OfId(SalesforceIds.User, r.CreatedBy),
            _ => FieldValue.OfDateTime(r.CreatedMs),
        };
    }
}

internal sealed class TaskTable(RowList<TaskRow> rows) : SObjectTable("Task", SalesforceIds.Task,
[
    new("Id", Id), new("IsDeleted", FieldType.Boolean), new("WhatId", Reference, true, "Opportunity"),
    new("WhoId", Reference, true, "Contact"), new("OwnerId", Reference, true, "User"), new("Subject", FieldType.String, true),
    new("ActivityDate", Date, true), new("Status", Picklist, true), new("IsClosed", FieldType.Boolean),
    new("Priority", Picklist, true), new("Type", Picklist, true), new("TaskSubtype", Picklist),
    new("CompletedDateTime", FieldType.DateTime), new("CreatedDate", FieldType.DateTime),
    new("CreatedById", Reference, ReferenceTo: "User"), new("LastModifiedDate", FieldType.DateTime),
    new("LastModifiedById", Reference, ReferenceTo: "User"), new("SystemModstamp", FieldType.DateTime),
    new("Description", TextArea, true),
])
{
    public RowList<TaskRow> Rows => rows;

    public override int Count => rows.Count;

    protected override FieldValue GetStored(int row, int field)
    {
        ref var r = ref rows[row];
        return field switch
        {
            2 => FieldValue.OfId(SalesforceIds.Opportunity, r.Opportunity),
            3 => FieldValue.OfId(SalesforceIds.Contact, r.Contact),
            4 or 14 or 16 => FieldValue.OfId(SalesforceIds.User, r.Owner),
            5 => FieldValue.Of(NamePools.TaskSubjects[r.Subject]),
            6 => FieldValue.OfDate(r.ActivityDay),
            7 => FieldValue.Of(r.IsClosed ? "Completed" : "Not Started"),
            8 => FieldValue.Of(r.IsClosed),
            9 => FieldValue.Of("Normal"),
            10 => FieldValue.Of(NamePools.TaskTypes[r.Type]),
            11 => FieldValue.Of(r.Type == 1 ? "Email" : r.Type == 0 ? "Call" : "Task"),
            12 => r.IsClosed ? FieldValue.OfDateTime(CompletedMs(r)) : FieldValue.Null,
            18 => FieldValue.Null,
            _ => FieldValue.OfDateTime(r.IsClosed ? CompletedMs(r) : r.CreatedMs),
        };
    }

    // Completed tasks were closed at noon UTC on their activity date.
    private static long CompletedMs(in TaskRow r) =>
        Math.Max(r.CreatedMs, (((long)r.ActivityDay - DateOnly.FromDateTime(System.DateTime.UnixEpoch).DayNumber) * 86_400_000L) + 43_200_000L);
}

namespace PipelineCoach.SalesforceSimulator.Org;

public sealed class UserRecord
{
    public required int Index { get; init; }

    public required string FirstName { get; init; }

    public required string LastName { get; init; }

    public required string Username { get; init; }

    public required string Email { get; init; }

    public required string Title { get; init; }

    public required string TimeZoneSidKey { get; init; }

    public required int RoleIndex { get; init; }

    /// <summary>Manager's user index, or -1.</summary>
    public required int ManagerIndex { get; init; }

    public required long CreatedMs { get; init; }

    public bool IsActive { get; set; } = true;

    public bool IsApiOnly { get; init; }

    public string Name => $"{FirstName} {LastName}";
}

public sealed record UserRoleRecord(int Index, string Name, int ParentIndex);

public struct AccountRow
{
    public int OwnerIndex;
    public byte Industry;
    public long CreatedMs;
    public long ModstampMs;
}

public struct ContactRow
{
    public int AccountIndex;
    public short FirstName;
    public short LastName;
    public byte Title;
    public long CreatedMs;
}

public struct OpportunityRow
{
    public int AccountIndex;
    public int OwnerIndex;
    public int ExecutiveSponsorContact;
    public byte Stage;
    public byte Type;
    public byte LeadSource;
    public byte Product;
    public byte NextStepText;
    public bool HasOpenActivity;
    public bool HasOverdueTask;

    /// <summary>Bit set of <see cref="QualificationFields"/> that hold a value.</summary>
    public byte Qualification;
    public double Amount;
    public float DiscountPercent;
    public int CloseDay;
    public int NextStepDay;
    public int LastActivityDay;
    public int CompellingEventDay;
    public long CreatedMs;
    public long ModstampMs;
    public long LastStageChangeMs;

    public const byte NoNextStep = byte.MaxValue;
}

public struct HistoryRow
{
    public int Opportunity;
    public int CreatedBy;
    public byte Stage;
    public int CloseDay;
    public int PrevCloseDay;
    public double Amount;
    public double PrevAmount;
    public long CreatedMs;
}

/// <summary>One change of a history-tracked date field (<see cref="OpportunityFieldHistoryTable.TrackedFields"/>).</summary>
public struct FieldHistoryRow
{
    public int Opportunity;
    public int CreatedBy;
    public byte Field;
    public int OldDay;
    public int NewDay;
    public long CreatedMs;
}

public struct ContactRoleRow
{
    public int Opportunity;
    public int Contact;
    public byte Role;
    public bool IsPrimary;
    public int CreatedBy;
    public long CreatedMs;
}

public struct TaskRow
{
    public int Opportunity;
    public int Contact;
    public int Owner;
    public int ActivityDay;
    public byte Subject;
    public byte Type;
    public bool IsClosed;
    public long CreatedMs;
}

/// <summary>Bits of <see cref="OpportunityRow.Qualification"/>, in field order after <c>Next_Step_Date__c</c>.</summary>
public static class QualificationFields
{
    public const int CompellingEvent = 0;
    public const int EconomicBuyer = 1;
    public const int IdentifiedPain = 2;
    public const int DecisionProcess = 3;
    public const int DecisionCriteria = 4;
    public const int Metrics = 5;
    public const int Champion = 6;
    public const int Competition = 7;

    public const byte All = 0xFF;
}

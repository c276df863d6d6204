using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PipelineCoach.Contracts.Notifications;
using PipelineCoach.Sync.Salesforce;
using PipelineCoach.Sync.Tasks;
using PipelineCoach.Sync.Tests.Pull;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.Tasks;

/// <summary>
/// Task creation claims the request (holder and lease) and calls Salesforce outside any transaction. The simulator
/// runs on a fake clock, so its slow-response fault makes a call hang until the test moves that clock.
/// </summary>
public sealed class When_two_workers_take_the_same_task_request
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _simulatorTime = new(Start);
    private SalesforceSyncHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await SalesforceSyncHost.StartAsync(opportunities: 5, plantProblems: false, simulatorTime: _simulatorTime);
        await _host.Sync.Services.GetRequiredService<ISalesforceApi>().LimitsAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [TearDown]
    public Task ResetFaultsAsync() => _host.Control.DeleteAsync("control/faults");

    private SalesforceTaskRequested Request() => new()
    {
        RequestId = $"follow-up:{TestIds.New("006")}:2026-Q4",
        WhatId = PipelineCoach.SalesforceSimulator.Generation.SalesforceIds.Create("006", 0),
        OwnerId = _host.Simulator.Org.UserId(1),
        Subject = "Plan the approach before the pricing call",
        ActivityDate = new DateOnly(2026, 12, 1),
    };

    private SalesforceTaskCreator Creator(TimeProvider? clock = null) => clock is null
        ? _host.Sync.Services.GetRequiredService<SalesforceTaskCreator>()
        : new SalesforceTaskCreator(_host.Sync.Services.GetRequiredService<NpgsqlDataSource>(), _host.Sync.Services.GetRequiredService<ISalesforceApi>(),
            _host.Sync.Services.GetRequiredService<IOptions<TaskOptions>>(), clock, NullLogger<SalesforceTaskCreator>.Instance);

    private async Task ClaimAsDeadWorkerAsync(string requestId, Guid dead, DateTimeOffset leaseUntil)
    {
        await using var connection = new NpgsqlConnection(_host.Sync.DatabaseConnectionString);
        await connection.ExecuteAsync(
            "INSERT INTO salesforce_tasks (request_id, status, claimed_by, lease_until, attempts) VALUES (@requestId, 'creating', @dead, @leaseUntil, 1)",
            new { requestId, dead, leaseUntil });
    }

    [Test]
    public async Task Should_call_salesforce_once_while_the_first_worker_holds_the_claim()
    {
        var request = Request();
        var tasksBefore = _host.RecordCount("Task");
        await _host.SetFaultsAsync(new { responseDelayMs = (int)Hang.TotalMilliseconds });

        var first = Creator().CreateAsync(request, Guid.NewGuid(), CancellationToken.None);
        await Eventually.TrueAsync(async () => await _host.ScalarAsync<long>(
            "SELECT count(*) FROM salesforce_tasks WHERE request_id = @RequestId AND status = 'creating'", request) == 1, "the first worker's claim");

        var second = await Creator().CreateAsync(request, Guid.NewGuid(), CancellationToken.None);
        Assert.That(second, Is.EqualTo(TaskCreation.ClaimedElsewhere), "the second worker returns at once, without calling Salesforce");
        Assert.That(first.IsCompleted, Is.False, "the first worker's call is still hanging");

        await Eventually.TrueAsync(() =>
        {
            _simulatorTime.Advance(Hang);
            return Task.FromResult(first.IsCompleted);
        }, "the hanging Salesforce call to return");

        Assert.That(await first, Is.EqualTo(TaskCreation.Created));
        Assert.That(await Creator().CreateAsync(request, Guid.NewGuid(), CancellationToken.None), Is.EqualTo(TaskCreation.AlreadyDone));
        Assert.That(_host.RecordCount("Task") - tasksBefore, Is.EqualTo(1));
        var taskId = await _host.ScalarAsync<string>("SELECT task_id FROM salesforce_tasks WHERE request_id = @RequestId AND status = 'created' AND claimed_by IS NULL", request);
        Assert.That(_host.Simulator.Org.ReadField("Task", taskId, "Subject"), Is.EqualTo(request.Subject));
    }

    [Test]
    public async Task Should_take_a_dead_workers_claim_once_its_lease_has_expired()
    {
        var request = Request();
        var lease = _host.Sync.Services.GetRequiredService<IOptions<TaskOptions>>().Value.LeaseDuration;
        await ClaimAsDeadWorkerAsync(request.RequestId, Guid.NewGuid(), Start + lease);
        var clock = new FakeTimeProvider(Start + lease - TimeSpan.FromSeconds(1));
        var tasksBefore = _host.RecordCount("Task");

        Assert.That(await Creator(clock).CreateAsync(request, Guid.NewGuid(), CancellationToken.None), Is.EqualTo(TaskCreation.ClaimedElsewhere));
        Assert.That(_host.RecordCount("Task"), Is.EqualTo(tasksBefore), "nothing is created while the claim is live");

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(await Creator(clock).CreateAsync(request, Guid.NewGuid(), CancellationToken.None), Is.EqualTo(TaskCreation.Created));
        Assert.That(_host.RecordCount("Task") - tasksBefore, Is.EqualTo(1));
    }

    [Test]
    public async Task Should_let_a_redelivery_of_the_claiming_message_take_its_own_claim_over()
    {
        var request = Request();
        var message = Guid.NewGuid();
        await ClaimAsDeadWorkerAsync(request.RequestId, message, Start + TimeSpan.FromHours(1));

        Assert.That(await Creator(new FakeTimeProvider(Start)).CreateAsync(request, message, CancellationToken.None), Is.EqualTo(TaskCreation.Created));
    }
}

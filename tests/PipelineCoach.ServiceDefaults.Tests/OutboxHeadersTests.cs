using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.Testing;

namespace PipelineCoach.ServiceDefaults.Tests;

/// <summary>An outbox row keeps the trace and conversation of what wrote it, and its publish carries them on.</summary>
public sealed class When_an_outbox_row_is_written_inside_a_trace_or_a_consumer() : OutboxFixture("outbox_headers", consumers: bus => bus.AddConsumer<RelayConsumer>())
{
    [Test]
    public async Task The_published_message_continues_the_writers_trace()
    {
        using var request = new Activity("test request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var messageId = Guid.NewGuid();
        var units = Host.Services.GetRequiredService<UnitOfWorkFactory>();
        await using (var work = await units.BeginAsync(CancellationToken.None))
        {
            await work.PublishAsync(Scored.Message(), CancellationToken.None, messageId);
            await work.CommitAsync(CancellationToken.None);
        }

        request.Stop();
        var stored = await Host.ScalarAsync<string>("SELECT headers->>'traceparent' FROM outbox_messages WHERE message_id = @messageId", new { messageId });
        var delivered = await Eventually.ValueAsync(
            () => Task.FromResult(Published.Messages.FirstOrDefault(d => d.MessageId == messageId)),
            d => d is not null, "the message to reach the queue");

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.EqualTo(request.Id), "the row stored the writer's traceparent");
            Assert.That(delivered!.Headers.GetValueOrDefault("traceparent"), Does.Contain(request.TraceId.ToHexString()), "the message carries the same trace id");
        });
    }

    [Test]
    public async Task A_message_written_by_a_consumer_keeps_the_conversation_and_correlation()
    {
        var conversationId = Guid.NewGuid();
        var correlationId = Guid.NewGuid();
        var userId = TestIds.New("005");
        // Published by the host's own bus, as an upstream service would: the relay consumer sees these ids.
        await Host.Services.GetRequiredService<IBus>().Publish(new UserChanged
        {
            UserId = userId,
            OrganizationId = "00D000000000001EAA",
            SourceVersion = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
            OccurredAt = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
            Name = "Rita Rep",
        }, context =>
        {
            context.ConversationId = conversationId;
            context.CorrelationId = correlationId;
        });

        var delivered = await Eventually.ValueAsync(
            () => Task.FromResult(Published.Messages.FirstOrDefault(d => d.Message.OpportunityId == userId)),
            d => d is not null, "the relayed message to reach the queue");
        Assert.Multiple(() =>
        {
            Assert.That(delivered!.ConversationId, Is.EqualTo(conversationId));
            Assert.That(delivered.CorrelationId, Is.EqualTo(correlationId));
        });
    }

    /// <summary>Writes an OpportunityScored (keyed by the user id) to the outbox for each UserChanged it consumes.</summary>
    public sealed class RelayConsumer(UnitOfWorkFactory units) : IConsumer<UserChanged>
    {
        public async Task Consume(ConsumeContext<UserChanged> context)
        {
            await using var work = await units.BeginAsync(context.CancellationToken);
            await work.PublishAsync(Scored.Message(context.Message.UserId), context.CancellationToken);
            await work.CommitAsync(context.CancellationToken);
        }
    }
}

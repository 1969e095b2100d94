using IgLive.Service.Infrastructure.Server;

namespace IgLive.Service.Tests.Infrastructure;

[TestFixture]
public sealed class LargeBlockMemoryPoolTests
{
    [Test]
    public void Blocks_have_the_configured_size_and_are_reused()
    {
        using var pool = new LargeBlockMemoryPool(64 * 1024, maxRetainedBlocks: 4);
        var first = pool.Rent(4096);
        Assert.That(first.Memory.Length, Is.EqualTo(64 * 1024));
        Assert.That(pool.MaxBufferSize, Is.EqualTo(64 * 1024));
        var memory = first.Memory;
        first.Dispose();
        Assert.That(pool.RetainedBlocks, Is.EqualTo(1));
        using var second = pool.Rent();
        Assert.That(second.Memory.Equals(memory), Is.True, "the returned block is handed out again");
        Assert.That(pool.RetainedBlocks, Is.Zero);
    }

    [Test]
    public void A_block_disposed_twice_is_kept_once()
    {
        using var pool = new LargeBlockMemoryPool(4096, maxRetainedBlocks: 4);
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();
        Assert.That(pool.RetainedBlocks, Is.EqualTo(1));
        var a = pool.Rent();
        var b = pool.Rent();
        Assert.That(a.Memory.Equals(b.Memory), Is.False, "two renters never share a block");
    }

    [Test]
    public void At_most_the_configured_number_of_blocks_is_retained()
    {
        using var pool = new LargeBlockMemoryPool(4096, maxRetainedBlocks: 2);
        var blocks = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => b.Dispose());
        Assert.That(pool.RetainedBlocks, Is.EqualTo(2));
    }

    [Test]
    public void Asking_for_more_than_a_block_throws()
    {
        using var pool = new LargeBlockMemoryPool(4096, maxRetainedBlocks: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(4097));
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace IgLive.Service.Infrastructure.Server;

/// <summary>
/// Creates Kestrel's memory pools with blocks of <c>blockSize</c> bytes instead of Kestrel's 4 KiB. The socket
/// transport receives into one pool block per <c>recv</c>, so the block size bounds the bytes per syscall: with 4 KiB
/// blocks a 1 GiB upload costs ~262k receives plus as many "wait for data" probes (see docs/benchmarks.md, "Upload").
/// Registered as <see cref="IMemoryPoolFactory{T}"/> (public since ASP.NET Core 10), which Kestrel resolves from DI.
/// </summary>
public sealed class LargeBlockMemoryPoolFactory(int blockSize, int maxRetainedBlocks) : IMemoryPoolFactory<byte>
{
    public int BlockSize => blockSize;

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(blockSize, maxRetainedBlocks);
}

/// <summary>
/// Fixed-size pinned blocks (the transport hands them to the socket). At most <c>maxRetainedBlocks</c> returned blocks
/// are kept for reuse; any beyond that are left to the GC, so a burst of connections does not pin memory for good.
/// </summary>
public sealed class LargeBlockMemoryPool(int blockSize, int maxRetainedBlocks) : MemoryPool<byte>
{
    private readonly ConcurrentQueue<Block> free = new();
    private int freeCount;
    private volatile bool disposed;

    public override int MaxBufferSize => blockSize;

    /// <summary>Blocks currently kept for reuse (for tests).</summary>
    public int RetainedBlocks => Volatile.Read(ref freeCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, blockSize);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (free.TryDequeue(out var block)) Interlocked.Decrement(ref freeCount);
        else block = new Block(this, GC.AllocateUninitializedArray<byte>(blockSize, pinned: true));
        block.MarkRented();
        return block;
    }

    private void Return(Block block)
    {
        if (disposed) return;
        if (Interlocked.Increment(ref freeCount) > maxRetainedBlocks)
        {
            Interlocked.Decrement(ref freeCount);
            return; // not kept: the GC frees it
        }
        free.Enqueue(block);
    }

    protected override void Dispose(bool disposing)
    {
        disposed = true;
        free.Clear();
    }

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private int rented;

        public Memory<byte> Memory => array;

        public void MarkRented() => Volatile.Write(ref rented, 1);

        // A second Dispose must not queue the block twice (two renters would then share it).
        public void Dispose()
        {
            if (Interlocked.Exchange(ref rented, 0) == 1) pool.Return(this);
        }
    }
}

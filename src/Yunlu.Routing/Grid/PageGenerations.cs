using System.Runtime.CompilerServices;

namespace Yunlu.Routing.Grid;

/// <summary>
/// Generation stamps for per-voxel search state kept in fixed-size pages (<see cref="GridAStar"/>,
/// <see cref="JumpPointSearch3D"/>): a page whose stamp is not the current search's generation holds values of an
/// earlier search and must be reset before use, so starting a search costs nothing up front.
/// A mutable struct: keep it in a non-readonly field and call it in place (the checks then inline to one array read
/// and compare, as if the owner's own fields).
/// </summary>
internal struct PageGenerations
{
    private readonly int[] _stamps;
    private int _current;

    /// <summary>Stamps for <paramref name="pages"/> pages, all stale.</summary>
    public PageGenerations(int pages)
    {
        _stamps = new int[pages];
        _current = 0;
    }

    /// <summary>Starts a new search: every page becomes stale (the stamps are cleared once every 2^31 − 1 searches).</summary>
    public void Next()
    {
        if (_current == int.MaxValue)
        {
            Array.Clear(_stamps);
            _current = 0;
        }

        _current++;
    }

    /// <summary>True when the page was reset during the current search.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool IsCurrent(int page) => _stamps[page] == _current;

    /// <summary>Marks the page as reset for the current search.</summary>
    public readonly void Stamp(int page) => _stamps[page] = _current;
}

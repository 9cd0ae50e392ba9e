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
    /// <summary>log2 of <see cref="PageSize"/>: voxel index i lies on page i &gt;&gt; PageShift.</summary>
    public const int PageShift = 9;

    /// <summary>Voxels per page (512).</summary>
    public const int PageSize = 1 << PageShift;

    /// <summary>A voxel's slot on its page: i &amp; PageMask.</summary>
    public const int PageMask = PageSize - 1;

    private readonly int[] _stamps;
    private int _current;

    /// <summary>Stamps for the pages of <paramref name="voxels"/> voxel indices (0 … voxels), all stale.</summary>
    public PageGenerations(int voxels)
    {
        _stamps = new int[PageCount(voxels)];
        _current = 0;
    }

    /// <summary>Pages needed for voxel indices 0 … <paramref name="voxels"/>.</summary>
    public static int PageCount(int voxels) => (voxels >> PageShift) + 1;

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

using System.Runtime.CompilerServices;

namespace Yunlu.Routing.Grid;

/// <summary>
/// The paged per-voxel search state shared by <see cref="GridAStar"/> and <see cref="JumpPointSearch3D"/>: voxel
/// indices are split into pages of <see cref="PageSize"/>; a page is allocated on its first touch and stamped with
/// the search generation, so a page whose stamp is not the current generation holds values of an earlier search and
/// is reset before use, and starting a search costs nothing up front. The g (cost-so-far) pages live here; an owner
/// keeps its other per-voxel arrays in pages of the same size and resets them when <see cref="ResetPage"/> says.
/// A mutable struct: keep it in a non-readonly field and call it in place (the checks then inline to one array read
/// and compare, as if the owner's own fields).
/// </summary>
internal struct SearchPages
{
    /// <summary>log2 of <see cref="PageSize"/>: voxel index i lies on page i &gt;&gt; PageShift.</summary>
    public const int PageShift = 6;

    /// <summary>Voxels per page (64: one X run, so a thin search tube resets little).</summary>
    public const int PageSize = 1 << PageShift;

    /// <summary>A voxel's slot on its page: i &amp; PageMask.</summary>
    public const int PageMask = PageSize - 1;

    private readonly int[] _stamps;
    private int _current;

    /// <summary>Pages for voxel indices 0 … <paramref name="voxels"/>, none allocated, all stale.</summary>
    public SearchPages(int voxels)
    {
        int pages = PageCount(voxels);
        _stamps = new int[pages];
        G = new double[pages][];
        _current = 0;
    }

    /// <summary>The g pages (null until first touched); valid for the current search only where
    /// <see cref="IsCurrent"/>.</summary>
    public readonly double[]?[] G { get; }

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

    /// <summary>
    /// Resets a page for the current search: its g values to +∞ (allocating the page on first use) and its stamp.
    /// </summary>
    /// <returns>True when the page was allocated now, so the owner allocates its own arrays for it; false when the
    /// owner resets its existing ones.</returns>
    public readonly bool ResetPage(int page)
    {
        double[]? g = G[page];
        bool allocated = g is null;
        if (allocated)
        {
            g = new double[PageSize];
            G[page] = g;
        }

        Array.Fill(g!, double.PositiveInfinity);
        _stamps[page] = _current;
        return allocated;
    }
}

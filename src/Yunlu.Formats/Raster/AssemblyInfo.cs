using System.Runtime.CompilerServices;

// Raster-format tests live with the terrain tests (tests/Yunlu.Terrain.Tests).
[assembly: InternalsVisibleTo("Yunlu.Terrain.Tests")]

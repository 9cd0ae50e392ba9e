// Where CesiumJS finds its workers, assets and widget styles: the local copy, never a CDN.
window.CESIUM_BASE_URL = new URL('cesium/', document.baseURI).href;

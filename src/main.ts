/**
 * The single entry of index.html. It only chooses a shell by path and loads it lazily, so the
 * kiosk (/) never downloads office code and the office console (/office) never the kiosk's.
 */
const root = document.getElementById('app')!;

if (location.pathname === '/office' || location.pathname.startsWith('/office/')) {
  void import('./office/main').then((m) => m.start(root));
} else {
  void import('./kiosk/main').then((m) => m.start(root));
}

/**
 * The office console's shell: sign-in (or the one-time setup of the first administrator), then
 * the header with the community switcher, navigation by task showing only what the role may do,
 * and the page for the path. Every page is keyed by the community, so switching starts it afresh.
 */
import type { ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';
import type { Permission } from '../domain/permissions';
import { LocaleSwitcher } from '../ui/locale-switcher';
import { sessionLost } from './api';
import { t, type OfficeKey } from './messages';
import { CardDetailPage } from './pages/card-detail-page';
import { CardIssuePage } from './pages/card-issue-page';
import { CardPrintPage, CardSheetPage } from './pages/card-print-page';
import { CardsPage } from './pages/cards-page';
import { DevicesPage } from './pages/devices-page';
import { HouseholdImportPage } from './pages/household-import-page';
import { HouseholdEventsPage } from './pages/household-events-page';
import { KeyHouseholdsPage } from './pages/key-households-page';
import { KeyHouseholdImportPage } from './pages/key-household-import-page';
import { CarePage } from './pages/care-page';
import { IncidentPage, IncidentsPage } from './pages/incidents-page';
import { GuardsPage } from './pages/guards-page';
import { HouseholdsPage } from './pages/households-page';
import { RosterPage } from './pages/roster-page';
import { SettingsPage } from './pages/settings-page';
import { SetupPage } from './pages/setup-page';
import { SlipAlertsPage } from './pages/slip-alerts-page';
import { SlipDetailPage } from './pages/slip-detail-page';
import { SlipIssuePage } from './pages/slip-issue-page';
import { SlipPrintPage } from './pages/slip-print-page';
import { SlipRegisterPage } from './pages/slip-register-page';
import { SlipsPage } from './pages/slips-page';
import { SignInPage } from './pages/sign-in-page';
import { InvitationsPage } from './pages/invitations-page';
import { VisitorsPage } from './pages/visitors-page';
import { WatchListPage } from './pages/watch-list-page';
import { location$, match, navigate, onLinkClick } from './router';
import {
  allowed,
  chooseCommunity,
  communityId,
  loadSession,
  me,
  settings,
  signOut,
} from './session';

type Page = ComponentType<{ params: Record<string, string> }>;

const ROUTES: Array<[string, Page, Permission]> = [
  ['/office/cards/new', CardIssuePage, 'card.write'],
  ['/office/cards/expiring', CardsPage, 'card.read'],
  ['/office/cards/sheet', CardSheetPage, 'card.read'],
  ['/office/cards/:serial/print', CardPrintPage, 'card.read'],
  ['/office/cards/:serial', CardDetailPage, 'card.read'],
  ['/office/cards', CardsPage, 'card.read'],
  ['/office/households/import', HouseholdImportPage, 'household.write'],
  ['/office/households', HouseholdsPage, 'household.read'],
  ['/office/devices', DevicesPage, 'device.read'],
  ['/office/roster', RosterPage, 'card.read'],
  ['/office/settings', SettingsPage, 'community.manage'],
  ['/office/visitors', VisitorsPage, 'register.read'],
  ['/office/invitations', InvitationsPage, 'register.read'],
  ['/office/watch-list', WatchListPage, 'watchlist.write'],
  ['/office/slips/new', SlipIssuePage, 'slip.write'],
  ['/office/slips/alerts', SlipAlertsPage, 'slip.read'],
  ['/office/slips/register', SlipRegisterPage, 'slip.read'],
  ['/office/slips/:serial/print', SlipPrintPage, 'slip.read'],
  ['/office/slips/:serial', SlipDetailPage, 'slip.read'],
  ['/office/slips', SlipsPage, 'slip.read'],
  ['/office/key-households/import', KeyHouseholdImportPage, 'keyhousehold.write'],
  ['/office/key-households', KeyHouseholdsPage, 'keyhousehold.read'],
  ['/office/households/:householdId/events', HouseholdEventsPage, 'events.read'],
  ['/office/outings', CarePage, 'care.read'],
  ['/office/incidents/:incidentId', IncidentPage, 'incident.read'],
  ['/office/incidents', IncidentsPage, 'incident.read'],
  ['/office/guards', GuardsPage, 'guard.manage'],
];

const NAV: Array<[string, OfficeKey, Permission]> = [
  ['/office/cards', 'nav.cards', 'card.read'],
  ['/office/cards/new', 'nav.newCard', 'card.write'],
  ['/office/cards/expiring', 'nav.expiring', 'card.read'],
  ['/office/households', 'nav.households', 'household.read'],
  ['/office/devices', 'nav.devices', 'device.read'],
  ['/office/roster', 'nav.roster', 'card.read'],
  ['/office/settings', 'nav.settings', 'community.manage'],
  ['/office/visitors', 'nav.visitors', 'register.read'],
  ['/office/invitations', 'nav.invitations', 'register.read'],
  ['/office/watch-list', 'nav.watchList', 'watchlist.write'],
  ['/office/slips', 'nav.slips', 'slip.read'],
  ['/office/slips/new', 'nav.newSlip', 'slip.write'],
  ['/office/slips/alerts', 'nav.slipAlerts', 'slip.read'],
  ['/office/key-households', 'nav.keyHouseholds', 'keyhousehold.read'],
  ['/office/outings', 'nav.outings', 'care.read'],
  ['/office/incidents', 'nav.incidents', 'incident.read'],
  ['/office/guards', 'nav.guards', 'guard.manage'],
];

function Header() {
  const account = me.value;
  return (
    <header class="office-bar no-print">
      <h1>{t('office.title')}</h1>
      <div class="office-bar-tools">
        {account && account.communities.length > 0 && (
          <label class="community-switcher">
            <span class="visually-hidden">{t('header.community')}</span>
            <select
              aria-label={t('header.community')}
              value={communityId.value ?? ''}
              onChange={(e) => {
                void chooseCommunity(Number((e.currentTarget as HTMLSelectElement).value));
                navigate('/office/cards');
              }}
            >
              {account.communities.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {account && (
          <span class="office-user" data-testid="signed-in-as">
            {account.displayName}
          </span>
        )}
        {account && (
          <button type="button" class="bar-button" onClick={() => void signOut()}>
            {t('header.signOut')}
          </button>
        )}
        <LocaleSwitcher />
      </div>
    </header>
  );
}

function Console() {
  const { path } = location$.value;
  const nav = NAV.filter(([, , p]) => allowed(p));
  const home = nav[0]?.[0];
  useEffect(() => {
    if ((path === '/office' || path === '/office/') && home) navigate(home, { replace: true });
  }, [path, home]);
  let content = <p class="page">{t('page.notFound')}</p>;
  for (const [pattern, Component, permission] of ROUTES) {
    const params = match(pattern, path);
    if (!params) continue;
    content = allowed(permission) ? (
      <Component key={`${communityId.value}:${path}`} params={params} />
    ) : (
      <p class="page">{t('page.forbidden')}</p>
    );
    break;
  }
  return (
    <div class="console">
      <nav class="office-nav no-print" aria-label={t('nav.label')}>
        <ul>
          {nav.map(([href, key]) => (
            <li key={href}>
              <a href={href} aria-current={path === href ? 'page' : undefined}>
                {t(key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="office-main">
        {settings.value ? content : <p class="page">{t('page.loading')}</p>}
      </main>
    </div>
  );
}

export function OfficeApp() {
  useEffect(() => {
    void loadSession();
    document.addEventListener('click', onLinkClick);
    return () => document.removeEventListener('click', onLinkClick);
  }, []);
  const { path } = location$.value;
  const signedIn = me.value && !sessionLost.value;
  return (
    <div class="office">
      <Header />
      {path === '/office/setup' && !signedIn ? (
        <SetupPage />
      ) : me.value === undefined ? (
        <p class="page">{t('page.loading')}</p>
      ) : signedIn ? (
        me.value!.communities.length === 0 ? (
          <p class="page">{t('page.noCommunity')}</p>
        ) : (
          <Console />
        )
      ) : (
        <main>
          <SignInPage />
        </main>
      )}
    </div>
  );
}

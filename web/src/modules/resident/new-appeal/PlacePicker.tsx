/**
 * "Where is it?" — three ways, none required: an address with a district from the list (works offline, needs no
 * map), the device's location, or a pin on the map (loaded only on request; if it fails the form goes on).
 */
import { useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Select, TextInput } from '../../../ui/ui.js';
import { formatNum, nameIn, type Directory } from '../shared.js';
import type { Draft } from './draft.js';
import type { MapPickerProps } from './MapPicker.js';

type Update = (patch: Partial<Draft>) => void;

// Bishkek's centre, when a city has none on record.
const FALLBACK_CENTRE = { lat: 42.8746, lon: 74.6122 };

export function PlacePicker({ draft, update, directory, errors }: {
  draft: Draft; update: Update; directory: Directory; errors: Record<string, string>;
}) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const [locating, setLocating] = useState(false);
  const [geoError, setGeoError] = useState<string | null>(null);
  const [mapOpen, setMapOpen] = useState(false);
  const [mapFailed, setMapFailed] = useState(false);
  const [MapView, setMapView] = useState<ComponentType<MapPickerProps> | null>(null);
  const canLocate = typeof navigator !== 'undefined' && 'geolocation' in navigator;
  const point = draft.lat !== null && draft.lon !== null ? { lat: draft.lat, lon: draft.lon } : null;

  const loadMap = () => {
    setMapFailed(false);
    import('./MapPicker.js').then((m) => setMapView(() => m.default), () => setMapFailed(true));
  };

  const toggleMap = () => {
    const open = !mapOpen;
    setMapOpen(open);
    if (open && !MapView) loadMap();
  };

  const locate = () => {
    setGeoError(null);
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        update({ lat: pos.coords.latitude, lon: pos.coords.longitude, pointSource: 'device', accuracy: Math.round(pos.coords.accuracy) });
      },
      (err) => {
        setLocating(false);
        const reason = err.code === err.PERMISSION_DENIED ? 'denied' : err.code === err.TIMEOUT ? 'timeout' : 'unavailable';
        setGeoError(t(`new.place.geoError.${reason}`));
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  };

  const clearPoint = () => { update({ lat: null, lon: null, pointSource: null, accuracy: null }); setGeoError(null); };

  return (
    <fieldset className="r-section" id="f-location">
      <legend>{t('new.place.legend')}</legend>
      <p className="hint">{t('new.place.hint')}</p>

      <div id="f-location.address">
        <TextInput
          label={t('new.place.address')} hint={t('new.place.addressHint')} error={errors['location.address']}
          autoComplete="street-address" maxLength={300} value={draft.address} onChange={(e) => update({ address: e.target.value })}
        />
      </div>
      {directory.districts.length ? (
        <div id="f-location.districtId">
          <Select label={t('new.place.district')} error={errors['location.districtId']} value={draft.districtId} onChange={(e) => update({ districtId: e.target.value })}>
            <option value="">{t('new.place.districtUnknown')}</option>
            {directory.districts.map((d) => <option key={d.id} value={d.id}>{nameIn(d.name, lang)}</option>)}
          </Select>
        </div>
      ) : null}

      <h3 className="r-subheading">{t('new.place.pointHeading')}</h3>
      <p className="r-point" role="status">
        {point ? t(draft.pointSource === 'device' ? 'new.place.pointDevice' : 'new.place.pointMap', {
          lat: formatNum(Math.round(point.lat * 100000) / 100000, lang), lon: formatNum(Math.round(point.lon * 100000) / 100000, lang),
        }) + (draft.pointSource === 'device' && draft.accuracy ? ` ${t('new.place.accuracy', { metres: formatNum(draft.accuracy, lang) })}` : '') : t('new.place.noPoint')}
      </p>
      {geoError ? <p className="error-text" role="alert">{geoError}</p> : null}
      <div className="r-row">
        {canLocate ? (
          <Button variant="secondary" onClick={locate} disabled={locating} aria-busy={locating}>
            {locating ? t('new.place.locating') : t('new.place.useLocation')}
          </Button>
        ) : null}
        <Button variant="secondary" onClick={toggleMap} aria-expanded={mapOpen}>{mapOpen ? t('new.place.hideMap') : t('new.place.showMap')}</Button>
        {point ? <Button variant="link" onClick={clearPoint}>{t('new.place.clearPoint')}</Button> : null}
      </div>
      {mapOpen ? (
        mapFailed ? (
          <div className="alert alert-error" role="alert">
            <p>{t('new.place.mapFailed')}</p>
            <Button variant="secondary" onClick={loadMap}>{t('tryAgain')}</Button>
          </div>
        ) : MapView ? (
          <MapView center={directory.center ?? FALLBACK_CENTRE} point={point} onPick={(lat, lon) => update({ lat, lon, pointSource: 'map', accuracy: null })} />
        ) : <p className="loading" role="status">{t('new.place.mapLoading')}</p>
      ) : null}
    </fieldset>
  );
}

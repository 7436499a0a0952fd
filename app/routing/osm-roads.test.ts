import { describe, expect, it } from 'vitest';
import { drivableWay } from './osm-roads';
import { roadClassOf, speedsWith } from './road-classes';

describe('how a car drives an OSM way', () => {
  it('takes the car classes and their ramps, and nothing else', () => {
    expect(roadClassOf('primary_link')).toBe('primary');
    expect(roadClassOf('motorway_link')).toBe('motorway');
    expect(roadClassOf('residential')).toBe('residential');
    for (const notForCars of ['footway', 'path', 'track', 'cycleway', 'steps', 'construction', 'residential_link', 'service_link', undefined]) expect(roadClassOf(notForCars)).toBeUndefined();
  });

  it('reads one-way tags, roundabouts and motorways', () => {
    const travel = (tags: Record<string, string>) => drivableWay({ highway: 'residential', ...tags })?.travel;
    expect(travel({})).toBe('both');
    expect(travel({ oneway: 'yes' })).toBe('forward');
    expect(travel({ oneway: '1' })).toBe('forward');
    expect(travel({ oneway: '-1' })).toBe('backward');
    expect(travel({ oneway: 'no' })).toBe('both');
    expect(travel({ junction: 'roundabout' })).toBe('forward');
    expect(travel({ junction: 'roundabout', oneway: 'no' })).toBe('both');
    expect(drivableWay({ highway: 'motorway' })?.travel).toBe('forward');
    expect(drivableWay({ highway: 'motorway', oneway: 'no' })?.travel).toBe('both');
    // A motorway ramp is taken as one-way unless tagged otherwise: never up a ramp the wrong way.
    expect(drivableWay({ highway: 'motorway_link' })?.travel).toBe('forward');
    expect(drivableWay({ highway: 'trunk_link' })?.travel).toBe('both');
  });

  it('leaves out roads closed to cars, unless cars are let in by name', () => {
    expect(drivableWay({ highway: 'service', access: 'private' })).toBeUndefined();
    expect(drivableWay({ highway: 'service', access: 'no', motor_vehicle: 'yes' })).toBeDefined();
    expect(drivableWay({ highway: 'residential', motorcar: 'no' })).toBeUndefined();
    expect(drivableWay({ highway: 'residential', access: 'destination' })).toBeDefined();
    expect(drivableWay({ highway: 'pedestrian' })).toBeUndefined();
    expect(drivableWay({ highway: 'service', area: 'yes' })).toBeUndefined();
  });

  it('slows unpaved roads and untagged unclassified roads in the rainy season, not paved ones', () => {
    expect(drivableWay({ highway: 'tertiary', surface: 'gravel' })?.slowInRain).toBe(true);
    expect(drivableWay({ highway: 'unclassified' })?.slowInRain).toBe(true);
    expect(drivableWay({ highway: 'unclassified', surface: 'asphalt' })?.slowInRain).toBe(false);
    expect(drivableWay({ highway: 'residential' })?.slowInRain).toBe(false);
  });

  it('takes speed overrides for known classes only, in a car’s range', () => {
    expect(speedsWith({ residential: 20 }).residential).toBe(20);
    expect(speedsWith({ residential: 20 }).primary).toBe(60);
    expect(() => speedsWith({ footway: 5 })).toThrow('"footway" is not a road class');
    expect(() => speedsWith({ primary: 0 })).toThrow('between 1 and 200 km/h');
    expect(() => speedsWith({ primary: Number.NaN })).toThrow('between 1 and 200 km/h');
  });
});

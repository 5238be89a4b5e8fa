// @ts-check
/*
 * thermal-sensor.js - the THS-1 digital temperature sensor, a kdsim device module.
 *
 * A made-up part in the style of the common 12-bit I2C/SMBus sensors (1/16 degC steps, high
 * and low limits with hysteresis), here behind a small memory-mapped PCI window. kdsim.json
 * names this file as the device's model ("model": "./devices/thermal-sensor.js"); kdsim
 * loads it (trusted workspaces only) and calls createDevice(spec).
 *
 * ---- Datasheet -------------------------------------------------------------------------------
 *
 * Resources
 *   resource 0        the 32-byte register window (a memory BAR; an I/O port range works too)
 *   interrupt line 0  INT: level-sensitive, asserted while (STATUS & CONTROL.INT_ENABLE) != 0;
 *                     on a latched (edge) interrupt resource: one edge each time that becomes
 *                     true
 *
 * Temperature format (TEMPERATURE, HIGH_LIMIT, LOW_LIMIT)
 *   two's complement in 1/16 degC (0.0625 degC per LSB), 12 significant bits: -128.0000 to
 *   +127.9375 degC. Reads return the value sign-extended to 32 bits (25 degC = 0x00000190,
 *   -5.5 degC = 0xFFFFFFA8); writes take bits 15:0 and saturate to that range.
 *
 * Registers (32-bit; 8- and 16-bit accesses see and change the addressed bytes only)
 *   0x00 ID           RO   0x54485331 ("THS1")
 *   0x04 CONTROL      RW   bit 0  ENABLE      start converting (see Conversions)
 *                          bit 1  CONTINUOUS  1: convert continuously; 0: one-shot
 *                          bit 4  INT_ENABLE_DATA_READY  } which STATUS causes assert INT:
 *                          bit 5  INT_ENABLE_ALERT_HIGH  } bit 4+n enables STATUS bit n
 *                          bit 6  INT_ENABLE_ALERT_LOW   }
 *                          bit 31 RESET       write 1: back to the power-on state (reads 0)
 *   0x08 STATUS       R/W1C bit 0  DATA_READY  a conversion finished (TEMPERATURE is new)
 *                          bit 1  ALERT_HIGH  the temperature reached HIGH_LIMIT
 *                          bit 2  ALERT_LOW   the temperature fell to LOW_LIMIT
 *                          bit 8  BUSY        RO: a conversion is in progress
 *                          bit 9  HIGH        RO: high comparator state (see Alerts)
 *                          bit 10 LOW         RO: low comparator state
 *                          Writing 1 to bits 0-2 clears them (acknowledges the interrupt);
 *                          the RO bits ignore writes.
 *   0x0C TEMPERATURE  RO   the last conversion result (0 until the first one)
 *   0x10 HIGH_LIMIT   RW   reset 0x0500 (80 degC)
 *   0x14 LOW_LIMIT    RW   reset 0x0000 (0 degC)
 *   0x18 HYSTERESIS   RW   bits 11:0, unsigned 1/16 degC; reset 0x020 (2 degC)
 *   0x1C              reserved: reads 0, writes ignored
 *
 * Conversions
 *   A conversion takes params.conversionMs. Conversions are timed by the sensor's own
 *   oscillator, which runs from power-on: they begin and end on its ticks, every
 *   conversionMs from time 0. Setting ENABLE (0 -> 1) starts a conversion at the next tick,
 *   so results arrive at whole multiples of conversionMs whenever the driver enables the
 *   sensor. At the end of a conversion TEMPERATURE takes the die temperature of that moment,
 *   DATA_READY is set and the comparators are evaluated. CONTINUOUS: the next conversion
 *   starts at once; one-shot: ENABLE clears itself, and writing ENABLE again starts another.
 *   Clearing ENABLE abandons a conversion in progress (TEMPERATURE keeps the last result).
 *
 * Alerts (evaluated after each conversion against the limits of that moment)
 *   HIGH sets when TEMPERATURE >= HIGH_LIMIT, and sets ALERT_HIGH as it does; it clears
 *   only when TEMPERATURE < HIGH_LIMIT - HYSTERESIS. LOW sets when TEMPERATURE <= LOW_LIMIT
 *   (with ALERT_LOW) and clears when TEMPERATURE > LOW_LIMIT + HYSTERESIS. So there is one
 *   alert per excursion, however long a temperature near a limit wobbles; a driver that
 *   wants to know when an excursion is over watches the HIGH/LOW state bits.
 *
 * Parameters (kdsim.json "params")
 *   conversionMs     conversion time in ms (default 1; > 0)
 *   initialCelsius   die temperature at power-on (default 25)
 *   noiseCelsius     each result adds uniform noise within +-noiseCelsius, drawn from the
 *                    project's seeded random numbers (default 0: exact results)
 *
 * Scenario actions ({"kind": "action", "device": ..., "action": ..., "args": {...}})
 *   set   {"celsius": 85.5}            the die temperature is now 85.5 degC
 *   ramp  {"to": 60, "overMs": 16}     the die temperature moves linearly from its present
 *                                      value to `to` over `overMs` of simulated time, then
 *                                      stays there; a later set or ramp replaces it
 * The "interrupt" stimulus finishes a conversion now, whatever CONTROL says (its `data`, if
 * given, first sets the die temperature in 1/16 degC).
 *
 * ---- Implementation notes ---------------------------------------------------------------------
 * All state is one plain-data object (`s`): snapshot() copies it and restore() puts a copy
 * back, which is how the debugger steps backwards. Time comes only from host.now() and
 * randomness only from host.random(), so every run of a project is the same run.
 */
'use strict';

/**
 * What kdsim gives the model (kernel-sim/devices/device.ts, DeviceHost).
 * @typedef {object} DeviceHost
 * @property {() => number} now  simulated time in ns
 * @property {(atNs: number, kind: string, data?: number) => void} schedule  calls onEvent(kind, data) at atNs
 * @property {(index: number, asserted: boolean) => void} setLine  drives level interrupt line `index`
 * @property {(index: number) => void} pulse  an edge on latched line (or MSI message) `index`
 * @property {(what: string, detail?: string) => void} trace  a device event in the trace
 * @property {() => number} random  deterministic random number in [0, 1)
 * @property {(kind: string, data: readonly number[]) => void} output  what the device sends out
 */

/**
 * One register as the debugger shows it (RegisterView).
 * @typedef {{ name: string, offset: number, size: number, value: number, resource: number }} RegisterView
 */

/**
 * createDevice's argument: the device's entry in kdsim.json.
 * @typedef {object} DeviceSpec
 * @property {string} id
 * @property {Readonly<Record<string, unknown>>} params
 * @property {ReadonlyArray<{ type: string, mode?: string }>} resources
 */

/**
 * The die temperature over time: `from` at startNs moving linearly to `to` at endNs (degC).
 * @typedef {{ from: number, to: number, startNs: number, endNs: number }} DieRamp
 */

/**
 * Everything the sensor remembers: plain data only.
 * @typedef {object} SensorState
 * @property {number} control      CONTROL without RESET
 * @property {number} status       the W1C cause bits (0-2) of STATUS
 * @property {number} temperature  last result, 1/16 degC (signed)
 * @property {number} highLimit    1/16 degC (signed)
 * @property {number} lowLimit     1/16 degC (signed)
 * @property {number} hysteresis   1/16 degC (0..0xFFF)
 * @property {boolean} busy        a conversion is in progress
 * @property {boolean} high        high comparator state
 * @property {boolean} low         low comparator state
 * @property {number} generation   a 'conversion' event carrying an older one is stale
 * @property {number} conversions  results produced since power-on
 * @property {boolean} lineHigh    what the INT output drives
 * @property {DieRamp} die
 */

const REG_ID = 0x00;
const REG_CONTROL = 0x04;
const REG_STATUS = 0x08;
const REG_TEMPERATURE = 0x0c;
const REG_HIGH_LIMIT = 0x10;
const REG_LOW_LIMIT = 0x14;
const REG_HYSTERESIS = 0x18;

const DEVICE_ID = 0x54485331; // "THS1"

const CONTROL_ENABLE = 0x1;
const CONTROL_CONTINUOUS = 0x2;
const CONTROL_INT_ENABLE_SHIFT = 4;
const CONTROL_INT_ENABLE = 0x7 << CONTROL_INT_ENABLE_SHIFT;
const CONTROL_RESET = 0x8000_0000;
const CONTROL_MASK = CONTROL_ENABLE | CONTROL_CONTINUOUS | CONTROL_INT_ENABLE;

const STATUS_DATA_READY = 0x1;
const STATUS_ALERT_HIGH = 0x2;
const STATUS_ALERT_LOW = 0x4;
const STATUS_CAUSES = STATUS_DATA_READY | STATUS_ALERT_HIGH | STATUS_ALERT_LOW;
const STATUS_BUSY = 0x100;
const STATUS_HIGH = 0x200;
const STATUS_LOW = 0x400;

/** 12-bit two's complement in 1/16 degC. */
const TEMP_MIN = -2048;
const TEMP_MAX = 2047;
const HYSTERESIS_MASK = 0xfff;

const RESET_HIGH_LIMIT = 80 * 16;
const RESET_LOW_LIMIT = 0;
const RESET_HYSTERESIS = 2 * 16;

const REGISTER_NAMES = /** @type {const} */ (['ID', 'CONTROL', 'STATUS', 'TEMPERATURE', 'HIGH_LIMIT', 'LOW_LIMIT', 'HYSTERESIS']);

/**
 * A number parameter, or its default; anything else is a project error (createDevice throws,
 * and kdsim reports it naming the device and this module).
 * @param {Readonly<Record<string, unknown>>} params
 * @param {string} name
 * @param {number} fallback
 * @param {(v: number) => boolean} valid
 * @param {string} what
 */
function numberParam(params, name, fallback, valid, what) {
  const v = params[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || !valid(v)) {
    throw new Error(`params.${name} must be ${what}, not ${JSON.stringify(v)}`);
  }
  return v;
}

/** The low 16 bits as a signed value, saturated to the 12-bit range. @param {number} v */
function fromRegister(v) {
  return clampTemp(((v & 0xffff) << 16) >> 16);
}

/** @param {number} t  1/16 degC */
function clampTemp(t) {
  return Math.min(TEMP_MAX, Math.max(TEMP_MIN, t));
}

/** @param {number} celsius */
function toSixteenths(celsius) {
  // `| 0` turns Math.round's -0 into 0.
  return clampTemp(Math.round(celsius * 16) | 0);
}

/** @param {number} t  1/16 degC, for traces: "-5.5000 degC" */
function formatTemp(t) {
  const a = Math.abs(t);
  return `${t < 0 ? '-' : ''}${Math.floor(a / 16)}.${String((a % 16) * 625).padStart(4, '0')} degC`;
}

/**
 * The bytes of a 32-bit register an access of `size` at `offset` sees.
 * @param {number} v @param {number} offset @param {1 | 2 | 4} size
 */
function sub(v, offset, size) {
  if (size === 4) return v >>> 0;
  return (v >>> ((offset & 3) * 8)) & ((1 << (size * 8)) - 1);
}

/**
 * `old` with the `size` bytes at `offset` replaced by `value`.
 * @param {number} old @param {number} offset @param {1 | 2 | 4} size @param {number} value
 */
function merge(old, offset, size, value) {
  if (size === 4) return value >>> 0;
  const shift = (offset & 3) * 8;
  const mask = ((1 << (size * 8)) - 1) << shift;
  return ((old & ~mask) | ((value << shift) & mask)) >>> 0;
}

/**
 * The power-on state.
 * @param {number} celsius  die temperature
 * @param {number} nowNs
 * @returns {SensorState}
 */
function powerOn(celsius, nowNs) {
  return {
    control: 0,
    status: 0,
    temperature: 0,
    highLimit: RESET_HIGH_LIMIT,
    lowLimit: RESET_LOW_LIMIT,
    hysteresis: RESET_HYSTERESIS,
    busy: false,
    high: false,
    low: false,
    generation: 0,
    conversions: 0,
    lineHigh: false,
    die: { from: celsius, to: celsius, startNs: nowNs, endNs: nowNs },
  };
}

/**
 * @param {DeviceSpec} spec
 */
function createDevice(spec) {
  const params = spec.params || {};
  const conversionMs = numberParam(params, 'conversionMs', 1, (v) => v > 0, 'a conversion time in ms greater than 0');
  const initialCelsius = numberParam(params, 'initialCelsius', 25, (v) => v > -128 && v < 128, 'a temperature in degC between -128 and 128');
  const noiseCelsius = numberParam(params, 'noiseCelsius', 0, (v) => v >= 0, 'a noise amplitude in degC (0 or more)');
  const conversionNs = Math.max(1, Math.round(conversionMs * 1e6));
  const irq = spec.resources.find((r) => r.type === 'interrupt');
  const latched = irq !== undefined && irq.mode === 'latched';

  /** @type {DeviceHost | undefined} */
  let host;
  /** @type {SensorState} */
  let s = powerOn(initialCelsius, 0);

  /** @returns {DeviceHost} */
  function need() {
    if (!host) throw new Error(`device ${spec.id} used before attach`);
    return host;
  }

  /** @param {number} reg */
  function peek(reg) {
    switch (reg) {
      case REG_ID:
        return DEVICE_ID;
      case REG_CONTROL:
        return s.control;
      case REG_STATUS:
        return s.status | (s.busy ? STATUS_BUSY : 0) | (s.high ? STATUS_HIGH : 0) | (s.low ? STATUS_LOW : 0);
      case REG_TEMPERATURE:
        return s.temperature >>> 0;
      case REG_HIGH_LIMIT:
        return s.highLimit >>> 0;
      case REG_LOW_LIMIT:
        return s.lowLimit >>> 0;
      case REG_HYSTERESIS:
        return s.hysteresis;
      default:
        return 0;
    }
  }

  /** The die temperature (degC) at `t` ns. @param {number} t */
  function dieAt(t) {
    const d = s.die;
    if (t >= d.endNs || d.endNs <= d.startNs) return d.to;
    if (t <= d.startNs) return d.from;
    return d.from + ((d.to - d.from) * (t - d.startNs)) / (d.endNs - d.startNs);
  }

  /** Starts a conversion on the oscillator's next tick; it ends one conversion time later. */
  function startConversion() {
    const h = need();
    s.busy = true;
    s.generation++;
    const tick = Math.ceil(h.now() / conversionNs) * conversionNs;
    h.schedule(tick + conversionNs, 'conversion', s.generation);
  }

  /** A result: TEMPERATURE, DATA_READY, then the comparators. */
  function finishConversion() {
    const h = need();
    let celsius = dieAt(h.now());
    if (noiseCelsius > 0) celsius += (h.random() * 2 - 1) * noiseCelsius;
    const t = toSixteenths(celsius);
    s.temperature = t;
    s.conversions++;
    s.status |= STATUS_DATA_READY;
    h.trace('conversion', formatTemp(t));

    if (!s.high && t >= s.highLimit) {
      s.high = true;
      s.status |= STATUS_ALERT_HIGH;
      h.trace('alert', `ALERT_HIGH: ${formatTemp(t)} >= HIGH_LIMIT ${formatTemp(s.highLimit)}`);
    } else if (s.high && t < s.highLimit - s.hysteresis) {
      s.high = false;
      h.trace('comparator', `HIGH cleared: ${formatTemp(t)} < ${formatTemp(s.highLimit - s.hysteresis)}`);
    }
    if (!s.low && t <= s.lowLimit) {
      s.low = true;
      s.status |= STATUS_ALERT_LOW;
      h.trace('alert', `ALERT_LOW: ${formatTemp(t)} <= LOW_LIMIT ${formatTemp(s.lowLimit)}`);
    } else if (s.low && t > s.lowLimit + s.hysteresis) {
      s.low = false;
      h.trace('comparator', `LOW cleared: ${formatTemp(t)} > ${formatTemp(s.lowLimit + s.hysteresis)}`);
    }
  }

  /** Drives INT from the enabled causes; a latched line gets an edge only when it rises. */
  function update() {
    const enabled = (s.control & CONTROL_INT_ENABLE) >>> CONTROL_INT_ENABLE_SHIFT;
    const want = (s.status & enabled) !== 0;
    if (want === s.lineHigh) return;
    s.lineHigh = want;
    const h = need();
    if (!latched) h.setLine(0, want);
    else if (want) h.pulse(0);
  }

  /**
   * A new die temperature course starting now.
   * @param {number} to  degC
   * @param {number} overNs
   */
  function moveDie(to, overNs) {
    const now = need().now();
    s.die = { from: dieAt(now), to, startNs: now, endNs: now + overNs };
  }

  /**
   * A finite number argument of an action.
   * @param {Readonly<Record<string, unknown>>} args
   * @param {string} name
   * @param {string} what
   */
  function numberArg(args, name, what) {
    const v = args[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`'${name}' must be ${what}, not ${JSON.stringify(v)}`);
    return v;
  }

  return {
    model: 'thermal-sensor',

    /** @param {DeviceHost} h */
    attach(h) {
      host = h;
    },

    /** @param {number} _resource @param {number} offset @param {1 | 2 | 4} size */
    read(_resource, offset, size) {
      return sub(peek(offset & ~3), offset, size);
    },

    /** @param {number} _resource @param {number} offset @param {1 | 2 | 4} size @param {number} value */
    write(_resource, offset, size, value) {
      const reg = offset & ~3;
      // A narrow write changes only its bytes; W1C bits see only the bytes actually written.
      const merged = merge(peek(reg), offset, size, value);
      const written = merge(0, offset, size, value);
      switch (reg) {
        case REG_CONTROL: {
          if (merged & CONTROL_RESET) {
            const die = s.die;
            const generation = s.generation + 1; // cancels a conversion in progress
            const lineHigh = s.lineHigh;
            s = powerOn(initialCelsius, 0);
            s.die = die; // the die does not cool down because the registers were reset
            s.generation = generation;
            s.lineHigh = lineHigh; // update() below drops the line
            need().trace('reset');
            break;
          }
          const wasOn = (s.control & CONTROL_ENABLE) !== 0;
          s.control = merged & CONTROL_MASK;
          const isOn = (s.control & CONTROL_ENABLE) !== 0;
          if (isOn && !wasOn) startConversion();
          else if (!isOn && wasOn && s.busy) {
            s.busy = false;
            s.generation++;
          }
          break;
        }
        case REG_STATUS:
          s.status &= ~(written & STATUS_CAUSES);
          break;
        case REG_HIGH_LIMIT:
          s.highLimit = fromRegister(merged);
          break;
        case REG_LOW_LIMIT:
          s.lowLimit = fromRegister(merged);
          break;
        case REG_HYSTERESIS:
          s.hysteresis = merged & HYSTERESIS_MASK;
          break;
        default:
          break; // ID, TEMPERATURE and the reserved word are read-only
      }
      update();
    },

    /** @param {string} kind @param {number | undefined} data */
    onEvent(kind, data) {
      if (kind !== 'conversion' || data !== s.generation || !s.busy) return; // abandoned
      s.busy = false;
      finishConversion();
      if (s.control & CONTROL_CONTINUOUS) startConversion();
      else s.control &= ~CONTROL_ENABLE;
      update();
    },

    /**
     * The scenario's "interrupt" stimulus: a result now (`data`: die temperature, 1/16 degC).
     * @param {number | undefined} data
     */
    stimulate(data) {
      if (data !== undefined) moveDie(((data << 16) >> 16) / 16, 0);
      need().trace('stimulus', 'conversion result now');
      finishConversion();
      update();
    },

    /** @param {string} action @param {Readonly<Record<string, unknown>>} args */
    act(action, args) {
      if (action === 'set') {
        const celsius = numberArg(args, 'celsius', 'a temperature in degC');
        moveDie(celsius, 0);
        need().trace('set', `die ${celsius} degC`);
      } else if (action === 'ramp') {
        const to = numberArg(args, 'to', 'the final temperature in degC');
        const overMs = numberArg(args, 'overMs', 'the duration in ms (0 or more)');
        if (overMs < 0) throw new Error(`'overMs' must be 0 or more, not ${overMs}`);
        moveDie(to, Math.round(overMs * 1e6));
        need().trace('ramp', `die ${dieAt(need().now())} -> ${to} degC over ${overMs} ms`);
      } else {
        throw new Error(`unknown action '${action}' (thermal-sensor accepts: set {celsius}, ramp {to, overMs})`);
      }
    },

    /** @returns {RegisterView[]} */
    registers() {
      return REGISTER_NAMES.map((name, i) => ({ name, offset: i * 4, size: 4, value: peek(i * 4) >>> 0, resource: 0 }));
    },

    /** @returns {SensorState} */
    snapshot() {
      return { ...s, die: { ...s.die } };
    },

    /** @param {unknown} x */
    restore(x) {
      const saved = /** @type {SensorState} */ (x);
      s = { ...saved, die: { ...saved.die } };
    },
  };
}

module.exports = {
  createDevice,
  // The register map, for tests and tools written in JavaScript.
  REG_ID,
  REG_CONTROL,
  REG_STATUS,
  REG_TEMPERATURE,
  REG_HIGH_LIMIT,
  REG_LOW_LIMIT,
  REG_HYSTERESIS,
  DEVICE_ID,
  CONTROL_ENABLE,
  CONTROL_CONTINUOUS,
  CONTROL_INT_ENABLE_SHIFT,
  CONTROL_RESET,
  STATUS_DATA_READY,
  STATUS_ALERT_HIGH,
  STATUS_ALERT_LOW,
  STATUS_BUSY,
  STATUS_HIGH,
  STATUS_LOW,
};

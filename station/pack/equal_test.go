package pack

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// stateMaker builds a State with every field set, through structs and
// slices (of one element each), numbering the fields and slices it sets
// as it goes. The one numbered alter is made different: a leaf gets
// another value, a slice is left empty (how 1) or nil (how 2).
type stateMaker struct {
	t     *testing.T
	n     int
	alter int
	how   int
	names []string
	slice []bool // numbered like names: the node is a slice
}

var timeType = reflect.TypeFor[time.Time]()

func (m *stateMaker) make() State {
	var s State
	m.n, m.names, m.slice = 0, nil, nil
	m.fill(reflect.ValueOf(&s).Elem(), "State")
	return s
}

func (m *stateMaker) fill(v reflect.Value, path string) {
	k := m.n
	m.n++
	m.names = append(m.names, path)
	m.slice = append(m.slice, v.Kind() == reflect.Slice)
	other := 0
	if k == m.alter {
		other = 1000
	}
	if !v.CanSet() {
		m.t.Fatalf("%s cannot be set: State.equal and this test know only exported fields", path)
	}
	switch {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Unix(int64(k+other), 0).UTC()))
		return
	case v.Kind() == reflect.Struct:
		m.n-- // a struct is its fields
		m.names = m.names[:len(m.names)-1]
		m.slice = m.slice[:len(m.slice)-1]
		for i := range v.NumField() {
			m.fill(v.Field(i), path+"."+v.Type().Field(i).Name)
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprint("v", k+other))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(k + 1 + other))
	case reflect.Float64:
		v.SetFloat(float64(k+other) + 0.5)
	case reflect.Bool:
		v.SetBool(other == 0)
	case reflect.Slice:
		switch {
		case k == m.alter && m.how == 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		case k == m.alter && m.how == 2:
			v.Set(reflect.Zero(v.Type()))
		default:
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			m.fill(v.Index(0), path+"[0]")
		}
	default:
		m.t.Fatalf("%s is a %s, which State.equal and this test do not compare", path, v.Kind())
	}
}

// TestStateEqualNamesEveryField: State.equal agrees with reflect.DeepEqual
// on states that differ in any one field (of State or of any type it
// holds, however deep), in a slice being empty or nil, and on equal states
// that share their slices or do not. A field added and not compared in
// equal fails here.
func TestStateEqualNamesEveryField(t *testing.T) {
	base := &stateMaker{t: t, alter: -1}
	a := base.make()
	if b := base.make(); !a.equal(b) || !b.equal(a) || !a.equal(a) {
		t.Fatal("equal states (built apart, and one with itself) compare unequal")
	}
	names := base.names
	if len(names) < 60 {
		t.Fatalf("only %d fields and slices found: %v", len(names), names)
	}
	for k, name := range names {
		hows := []int{0} // another value
		if base.slice[k] {
			hows = []int{1, 2} // empty, nil
		}
		for _, how := range hows {
			b := (&stateMaker{t: t, alter: k, how: how}).make()
			if reflect.DeepEqual(a, b) {
				t.Fatalf("%s (how %d): the states do not differ", name, how)
			}
			if a.equal(b) || b.equal(a) {
				t.Errorf("%s (how %d): equal says the same, reflect.DeepEqual says different", name, how)
			}
		}
		if base.slice[k] {
			empty := (&stateMaker{t: t, alter: k, how: 1}).make()
			none := (&stateMaker{t: t, alter: k, how: 2}).make()
			if reflect.DeepEqual(empty, none) || empty.equal(none) || none.equal(empty) {
				t.Errorf("%s: a nil slice and an empty one do not compare as reflect.DeepEqual does", name)
			}
		}
	}
}
